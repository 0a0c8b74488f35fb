package com.flashsale.buy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flashsale.http.Priming;
import com.flashsale.shared.priming.PrimingConfiguration;
import com.flashsale.shared.redis.ProductCard;
import com.flashsale.shared.redis.RedisKeys;
import com.flashsale.shared.redis.SaleGate;
import com.flashsale.shared.token.PurchaseToken;
import com.flashsale.shared.token.PurchaseTokenCodec;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The buy function's invoke priming before the SnapStart snapshot ({@link Priming}: what it may
 * touch). Each round is an accepted purchase with all it does (the admission script's writes, the
 * Kafka send and its acknowledgement, the outbox entry's deletion), the same token again (refused by
 * the script: already used), the sold-out refusal from a card, a token that does not verify, a
 * malformed body.
 *
 * <p>The purchases leave nothing behind. Their sale, of {@link #PRODUCT_IN_STOCK}, is put in Redis
 * by {@link #setUp} (PostgreSQL never hears of it) and every key the rounds write in its slot is
 * recorded ({@link #wrote}), for priming to delete when it ends; they expire within minutes anyway. Each purchase is made by a
 * priming user of its own, from an address of the benchmarking range (RFC 2544) of its own, so
 * that no real user's or address's bucket is touched. Their events go to the priming topic, which
 * the order consumer never reads ({@link OrderPublisher}). Without that topic, or without Redis, the
 * accepted path is not primed and the rest is.
 */
@Singleton
public class BuyPriming extends Priming {

    static final String BUY = "/api/flash-sale/buy";
    private static final Logger LOG = LoggerFactory.getLogger(BuyPriming.class);
    private static final Duration SALE_LIFETIME = Duration.ofMinutes(5);
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([^\"]+)\"");

    /** Resolved at the checkpoint, not when the context starts: the codec needs the token keys. */
    private final BeanProvider<PurchaseTokenCodec> tokens;
    private final BeanProvider<SaleGate> gate;
    private final OrderPublisher publisher;
    private final RedisKeys sale = RedisKeys.product(PRODUCT_IN_STOCK);
    private boolean onSale;
    private int purchases;

    public BuyPriming(ApplicationContext context, PrimingConfiguration configuration, BeanProvider<PurchaseTokenCodec> tokens,
                      BeanProvider<SaleGate> gate, OrderPublisher publisher) {
        super(context, configuration);
        this.tokens = tokens;
        this.gate = gate;
        this.publisher = publisher;
    }

    /** Buy's own handler, so that priming runs its hot route as Lambda does. */
    @Override
    protected RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(ApplicationContext context) {
        return new BuyHandler(context);
    }

    @Override
    protected void setUp() {
        purchases = 0;
        onSale = false;
        if (!publisher.primingTopicReady()) {
            return;
        }
        Instant now = Instant.now();
        try {
            gate.get().preload(new ProductCard(PRODUCT_IN_STOCK, "priming", 100, rounds(), Instant.EPOCH,
                    now.plus(SALE_LIFETIME), 1), rounds(), now.plus(SALE_LIFETIME)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            wrote(List.of(sale.meta(), sale.stock(), sale.buyers(), sale.outbox()));
            onSale = true;
        } catch (Exception e) {
            LOG.warn("the priming sale could not be put in Redis ({}): no accepted purchase is primed", e.toString());
        }
    }

    @Override
    protected void round(Requests requests) {
        Instant expiry = Instant.now().plus(Duration.ofMinutes(1));
        if (onSale) {
            int n = purchases++;
            String user = USER + "-" + n;
            String address = "198.18." + (n >> 8 & 255) + "." + (n & 255);
            String nonce = "priming-" + n;
            String token = tokens.get().encode(new PurchaseToken(user, PRODUCT_IN_STOCK, nonce, expiry));
            String accepted = requests.as(user, address, "POST", BUY, buy(PRODUCT_IN_STOCK, token), 202);
            requests.as(user, address, "POST", BUY, buy(PRODUCT_IN_STOCK, token), 403);
            Matcher requestId = REQUEST_ID.matcher(accepted);
            if (requestId.find()) {
                wrote(List.of(sale.request(requestId.group(1))));
            }
            wrote(List.of(sale.spentNonce(nonce), sale.buyRateLimit("buy-user", user), sale.buyRateLimit("buy-ip", address)));
        }
        String token = tokens.get().encode(new PurchaseToken(USER, PRODUCT_SOLD_OUT, "priming", expiry));
        requests.user("POST", BUY, buy(PRODUCT_SOLD_OUT, token), 409);
        requests.user("POST", BUY, buy(PRODUCT_IN_STOCK, "not.a.token"), 403);
        requests.user("POST", BUY, "{\"productId\":", 400);
    }

    private static String buy(String productId, String token) {
        return "{\"productId\":\"" + productId + "\",\"quantity\":1,\"token\":\"" + token + "\"}";
    }
}
