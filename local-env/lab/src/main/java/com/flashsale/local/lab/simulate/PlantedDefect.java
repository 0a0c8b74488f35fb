package com.flashsale.local.lab.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flashsale.local.lab.LabRedis;
import com.flashsale.local.lab.LabSql;
import com.flashsale.local.runtime.LocalEnvironment;
import com.flashsale.local.runtime.trigger.Batch;
import com.flashsale.local.runtime.trigger.DeliveryHook;
import com.flashsale.shared.redis.RedisKeys;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Defects the lab plants in a running stack to show that the audit catches what it claims to: each
 * turns its own audit line red. None is a switch in a function: a Lambda never carries a "be wrong"
 * setting. Each is played from outside, the way the defect would show: through the runtime's hooks
 * (a delivery hook that rewrites or redelivers events) or by changing the data as the defective
 * code would have (a unit given back in Redis, a buyer's slot freed), while the sale runs.
 */
public enum PlantedDefect {

    CONSUMER_DEDUPE_OFF(Audit.DECIDED_ONCE,
            "the order consumer decides a redelivered request again (its check of requests already decided removed): "
                    + "every batch is delivered twice, the decisions of the first delivery hidden from the second") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.delivering((batch, function) -> {
                function.accept(batch);
                planting.forgetDecisions(batch);
                function.accept(batch);
            });
        }
    },
    REFUSAL_DECREMENTS(Audit.STOCK_AGREES,
            "a refusal still takes a unit: three buyers refused before the start (SALE_NOT_STARTED) each took one from "
                    + "the Redis stock, so Redis sells out with units Postgres still has") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(productId -> planting.redis().decrby(RedisKeys.product(productId).stock(), 3), null);
        }
    },
    POSTGRES_STOCK_TAKEN(Audit.POSTGRES_BOOKS,
            "Postgres loses two units no order took (a cancellation that subtracts from stock_left instead of adding): "
                    + "its guard then refuses buyers Redis rightly admitted") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(productId -> planting.sql(
                    "UPDATE product SET stock_left = stock_left - 2 WHERE id = ?", productId), null);
        }
    },
    EVENT_QUANTITY_DOUBLED(Audit.LIMIT,
            "the order event carries twice the quantity Redis admitted: every event is rewritten on its way to the "
                    + "order consumer") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.delivering((batch, function) -> function.accept(planting.doubled(batch)));
        }
    },
    STOCK_GUARD_IGNORED(Audit.NO_OVERSELL,
            "the order consumer stores an order even when the guarded stock update took nothing (its row count "
                    + "ignored): once every user is done, two orders of buyers Redis never admitted are written for the "
                    + "sold-out product") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(null, productId -> {
                planting.sql("INSERT INTO purchase_order (id, request_id, product_id, user_id, quantity, price_cents, status, "
                        + "created_at, pay_by) SELECT 'planted-order-' || n || '-' || p.id, 'planted-request-' || n || '-' "
                        + "|| p.id, p.id, 'planted-user-' || n, 1, p.price_cents, 'PENDING_PAYMENT', now(), now() + "
                        + "interval '1 hour' FROM product p, generate_series(1, 2) n WHERE p.id = ?", productId);
            });
        }
    },
    SLOT_FREED(Audit.BUYERS_AGREE,
            "a release frees the slot of a buyer whose order stands (a release with the wrong request id): two users' "
                    + "entries of the buyers hash are removed once every user is done") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(null, productId -> {
                String buyers = RedisKeys.product(productId).buyers();
                planting.redis().hkeys(buyers).stream().sorted().limit(2).forEach(user -> planting.redis().hdel(buyers, user));
            });
        }
    },
    HUMAN_CHECK_SKIPPED(Audit.BOTS,
            "the token step skips the human check: the product's Redis card loses its humanCheck (as a preload that "
                    + "did not write it would leave it), so the token function asks no one for a proof; the sale is "
                    + "played with a bot crowd") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(productId -> planting.redis().hset(RedisKeys.product(productId).meta(),
                    Map.of("humanCheck", "none", "difficulty", "0")), null);
        }

        @Override
        public Simulation.Plan plan(Simulation.Plan base) {
            return base.bots() > 0 ? base : base.withBots(Math.max(20, base.users() / 3), 1_000);
        }
    },
    PAUSE_IGNORED(Audit.PAUSE,
            "the product card's pause is ignored (a pause that reaches Postgres but not the sale's Redis card the "
                    + "token and buy functions read): the card is unpaused as soon as the pause is answered; the sale is "
                    + "played with a pause mid-crowd") {
        @Override
        Simulation.Companion plant(Planting planting) {
            return planting.companion(null, null, productId -> planting.redis().hset(RedisKeys.product(productId).meta(),
                    "paused", "0"));
        }

        @Override
        public Simulation.Plan plan(Simulation.Plan base) {
            return base.pause() != null ? base : Simulation.Plan.pausedMidCrowd(base.users(), base.concurrency());
        }
    };

    private final String redLine;
    private final String description;

    PlantedDefect(String redLine, String description) {
        this.redLine = redLine;
        this.description = description;
    }

    /** The sale that shows the defect: the given one, unless the defect needs more (a bot crowd, say). */
    public Simulation.Plan plan(Simulation.Plan base) {
        return base;
    }

    /** The audit line this defect turns red. */
    public String redLine() {
        return redLine;
    }

    public String description() {
        return description;
    }

    /** The name on the command line: {@code consumer-dedupe-off}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PlantedDefect ofCliName(String name) {
        return Arrays.stream(values()).filter(d -> d.cliName().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no planted defect " + name + "; known: " + list()));
    }

    /** The names, one a line, with the line each turns red. */
    public static String list() {
        StringBuilder text = new StringBuilder();
        for (PlantedDefect defect : values()) {
            text.append(String.format("  %-22s turns red: %s%n  %22s %s%n", defect.cliName(), defect.redLine, "",
                    defect.description));
        }
        return text.toString();
    }

    /**
     * Plants the defect in the stack for one sale.
     *
     * @return the companion of the sale that plays it; close the planting afterwards to take it out
     */
    public Planting plantIn(LocalEnvironment environment) {
        Planting planting = new Planting(environment);
        planting.companion = plant(planting);
        return planting;
    }

    abstract Simulation.Companion plant(Planting planting);

    /** A defect in place: its companion for the sale, and what it holds open until closed. */
    public static final class Planting implements AutoCloseable {

        private static final ObjectMapper JSON = new ObjectMapper();

        private final LocalEnvironment environment;
        private final LabRedis<String, String> redis;
        private Simulation.Companion companion;

        Planting(LocalEnvironment environment) {
            this.environment = environment;
            this.redis = LabRedis.connect(environment, StringCodec.UTF8);
        }

        public Simulation.Companion companion() {
            return companion;
        }

        /** Every batch the trigger polls goes through {@code hook} until the planting is closed. */
        Simulation.Companion delivering(DeliveryHook hook) {
            environment.hooks().deliveryHook(hook);
            return companion(null, null);
        }

        RedisClusterCommands<String, String> redis() {
            return redis.sync();
        }

        Simulation.Companion companion(Consumer<String> opened, Consumer<String> usersDone) {
            return companion(opened, usersDone, null);
        }

        Simulation.Companion companion(Consumer<String> opened, Consumer<String> usersDone, Consumer<String> paused) {
            return new Simulation.Companion() {
                @Override
                public void paused(String productId) {
                    if (paused != null) {
                        paused.accept(productId);
                    }
                }

                @Override
                public void saleOpened(String productId, Instant startsAt) {
                    if (opened != null) {
                        opened.accept(productId);
                    }
                }

                @Override
                public void buyPhaseOver(String productId, Set<String> accepted) {
                    if (usersDone != null) {
                        usersDone.accept(productId);
                    }
                }
            };
        }

        void sql(String statement, String productId) {
            try (Connection db = environment.database().connect()) {
                LabSql.update(db, statement, productId);
            } catch (SQLException e) {
                throw new IllegalStateException("could not plant the defect", e);
            }
        }

        /** Deletes the decisions the consumer wrote for the batch's requests, as if it had never looked them up. */
        void forgetDecisions(Batch batch) {
            List<String> requestIds = new ArrayList<>();
            batch.records().values().forEach(records -> records.forEach(record -> {
                String requestId = field(record, "requestId");
                if (requestId != null) {
                    requestIds.add(requestId);
                }
            }));
            try (Connection db = environment.database().connect()) {
                LabSql.update(db, "DELETE FROM purchase_request WHERE request_id = ANY (?)",
                        db.createArrayOf("text", requestIds.toArray()));
            } catch (SQLException e) {
                throw new IllegalStateException("could not plant the defect", e);
            }
        }

        /** The batch with every event's quantity doubled. */
        Batch doubled(Batch batch) {
            Map<org.apache.kafka.common.TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
            batch.records().forEach((partition, list) -> records.put(partition, list.stream().map(record -> {
                try {
                    var event = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(record.value());
                    event.put("quantity", event.path("quantity").asInt() * 2);
                    return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(),
                            JSON.writeValueAsBytes(event));
                } catch (IOException | ClassCastException e) {
                    return record;
                }
            }).toList()));
            return new Batch(records);
        }

        private static String field(ConsumerRecord<byte[], byte[]> record, String name) {
            try {
                return JSON.readTree(record.value()).path(name).asText(null);
            } catch (IOException e) {
                return null; // not an order event: nothing to forget
            }
        }

        /** Takes the defect out: the delivery hook back to none, connections closed. */
        @Override
        public void close() {
            environment.hooks().deliveryHook(DeliveryHook.NONE);
            redis.close();
        }
    }
}
