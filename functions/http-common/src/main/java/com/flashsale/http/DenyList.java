package com.flashsale.http;

import com.flashsale.shared.redis.SaleGate;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The deny list as this warm container knows it: Redis keeps it in a slot of its own (never the
 * product's); once a second at most, ONE call reads its version and, only when the version moved,
 * the listed users ({@code read_deny_list.lua}). Token and buy refuse a listed user 403 USER_BLOCKED.
 */
@Singleton
public class DenyList {

    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final String LIST = "users";

    private final BeanProvider<SaleGate> gate;
    private final SharedRefresh<String, Listed> list;

    public DenyList(BeanProvider<SaleGate> gate) {
        this.gate = gate;
        this.list = new SharedRefresh<>(REFRESH, REFRESH, (key, held) -> read(held));
    }

    /** 403 USER_BLOCKED for a listed user. */
    public void refuseIfListed(String userId) {
        if (list.get(LIST).users().contains(userId)) {
            throw Refusals.userBlocked();
        }
    }

    private CompletionStage<Listed> read(Listed held) {
        return Gates.get(gate).readDenyList(held == null ? null : held.version()).thenApply(reply -> {
            String version = reply.get(0);
            return held != null && reply.size() == 1 && version.equals(held.version())
                    ? held : new Listed(version, Set.copyOf(reply.subList(1, reply.size())));
        });
    }

    /** One version of the list. */
    private record Listed(String version, Set<String> users) {
    }
}
