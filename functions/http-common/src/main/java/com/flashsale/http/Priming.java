package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flashsale.shared.human.HumanCheck;
import com.flashsale.shared.priming.JitCompiler;
import com.flashsale.shared.priming.PrimingConfiguration;
import com.flashsale.shared.priming.PrimingHook;
import com.flashsale.shared.redis.RedisKeys;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.JsonMapperCustomPojoSerializer;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Invoke priming (issue 18): before the SnapStart snapshot, a function runs its hot paths through its
 * real Lambda handler ({@link #handler} over the function's own context) with
 * synthetic API Gateway v2 events, so that the snapshot holds loaded, initialised and compiled code
 * instead of a cold JIT. Each API function has one subclass that says which requests make a round.
 * The events go through the JSON the Lambda runtime reads and writes (the function's
 * {@link CustomPojoSerializer}), and the rounds go on until the JIT compiler has nothing left to
 * compile for them ({@link JitCompiler#settle}): what a restored container would otherwise compile
 * during its first few hundred invocations.
 *
 * <p>Priming leaves no trace a user, an operator or the audit could see:
 * <ul>
 *   <li>its products ({@link #PRODUCT_IN_STOCK}, {@link #PRODUCT_SOLD_OUT}) exist nowhere: their ids
 *       start with {@code __}, which admin never generates ({@code p} and hex), so neither Redis nor
 *       PostgreSQL holds them. Their cards come from here, and only on the priming thread
 *       ({@link ProductCatalog#find}): a real request for those ids is 404 like any unknown id;</li>
 *   <li>every request it sends is refused or read-only (a token for the in-stock card, issued in
 *       memory; sold-out, bad-token and bad-input refusals; reads of unknown ids), except what a
 *       function puts in its own {@link #setUp}: buy's accepted purchases, in a sale of the in-stock
 *       priming product that exists in Redis only while priming runs, their events on a topic of
 *       their own;</li>
 *   <li>on the priming thread the rate-limit script runs on throwaway buckets, one per call, that no
 *       user or address has ({@link #throwawaySubject}); no unknown-id marker is set
 *       ({@link RedisAccess#setExpiring}) and no outcome is counted ({@link Outcomes}: no CloudWatch
 *       metric);</li>
 *   <li>every Redis key priming writes is recorded ({@link #wrote}) and deleted when it ends.</li>
 * </ul>
 * Tests count Redis keys and writes and PostgreSQL rows around it.
 *
 * <p>It runs first of the checkpoint hooks ({@link PrimingHook}). A priming failure (Redis
 * unreachable at the checkpoint) is logged, never thrown.
 */
public abstract class Priming extends PrimingHook {

    /** A product that is on sale with stock, as far as the priming thread's card says. */
    public static final String PRODUCT_IN_STOCK = "__priming-in-stock";
    /** A product whose card says sold out. */
    public static final String PRODUCT_SOLD_OUT = "__priming-sold-out";
    /** The caller of every priming request (no JWT issuer issues it: it is never a real user). */
    public static final String USER = "__priming-user";
    /** TEST-NET-1 (RFC 5737): never a client's address. */
    public static final String SOURCE_IP = "192.0.2.1";

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    /** Rounds per settling pass: more than 128, the interpreter's interval between compile requests (Tier0InvokeNotifyFreqLog). */
    static final int SETTLE_ROUNDS = 150;
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();
    /** The Redis keys the priming thread wrote, to delete when it ends. */
    private static final ThreadLocal<List<String>> WRITTEN = ThreadLocal.withInitial(ArrayList::new);
    private static final Map<String, ProductView> CARDS = Map.of(
            PRODUCT_IN_STOCK, card(PRODUCT_IN_STOCK, 1_000_000),
            PRODUCT_SOLD_OUT, card(PRODUCT_SOLD_OUT, 0));

    private final ApplicationContext context;
    private final int rounds;
    private final int settlePasses;
    private volatile Map<Integer, Integer> lastStatuses = Map.of();

    protected Priming(ApplicationContext context, PrimingConfiguration configuration) {
        this.context = context;
        this.rounds = configuration.rounds();
        this.settlePasses = configuration.settlePasses();
    }

    /** Whether the current thread is priming. */
    public static boolean active() {
        return Boolean.TRUE.equals(ACTIVE.get());
    }

    /**
     * On the priming thread, the subject of a rate-limit call: a new one each time, so that the real
     * script runs (and is compiled) without ever refusing, on a bucket no user or address has;
     * remembered so that {@link #prime} deletes it.
     */
    static String throwawaySubject(String scope) {
        List<String> written = WRITTEN.get();
        String subject = USER + "-bucket-" + written.size();
        written.add(RedisKeys.rateLimit(scope, subject));
        return subject;
    }

    /** On the priming thread: keys that priming wrote, which {@link #prime} deletes when it ends. */
    protected static void wrote(List<String> keys) {
        WRITTEN.get().addAll(keys);
    }

    /** The priming card of {@code productId}, only on the priming thread; null otherwise. */
    static ProductView card(String productId) {
        return active() ? CARDS.get(productId) : null;
    }

    /** One round of the function's hot paths: each request it sends, and the status it expects. */
    protected abstract void round(Requests requests);

    /** Before the first round, on the priming thread: what the rounds need beyond the cards. */
    protected void setUp() {
    }

    /**
     * How many rounds {@link #prime} runs at most: {@code flashsale.priming.rounds}, then its settling
     * passes. Buy's priming sale has that much stock, so that every round's purchase is accepted.
     */
    protected int rounds() {
        return rounds + settlePasses * SETTLE_ROUNDS;
    }

    @Override
    protected void primeBeforeCheckpoint() {
        prime();
    }

    /**
     * Runs {@code flashsale.priming.rounds} rounds through the real handler.
     *
     * @return how many answers of each status the rounds got
     */
    public Map<Integer, Integer> prime() {
        if (rounds <= 0) {
            return Map.of();
        }
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int passes = 0;
        ACTIVE.set(true);
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = handler(context);
        CustomPojoSerializer json = runtimeJson();
        try {
            Requests requests = new Requests(handler, json, statuses);
            setUp();
            run(rounds, requests);
            passes = JitCompiler.settle(settlePasses, () -> run(SETTLE_ROUNDS, requests));
            if (requests.unexpected > 0) {
                LOG.warn("priming: {} answers not as expected (a dependency away?): {}", requests.unexpected, statuses);
            }
        } catch (RuntimeException e) {
            LOG.warn("priming stopped: {}; the snapshot is less warm", e.toString());
        } finally {
            ACTIVE.remove();
            deleteWritten();
            close(handler);
            if (json instanceof JsonMapperCustomPojoSerializer serializer) {
                close(serializer.getJsonMapper());
            }
        }
        LOG.info("primed {} rounds and {} settling passes in {} ms: {}", rounds, passes,
                (System.nanoTime() - started) / 1_000_000, statuses);
        lastStatuses = Map.copyOf(statuses);
        return lastStatuses;
    }

    private void run(int count, Requests requests) {
        for (int i = 0; i < count; i++) {
            round(requests);
        }
    }

    /**
     * The function's Lambda handler (functions.json's) over its running context, which stays open
     * when the handler is closed: Micronaut's adapter unless the function has a handler of its own.
     */
    protected RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(ApplicationContext context) {
        return new APIGatewayV2HTTPEventFunction(context);
    }

    /**
     * The serializer the Lambda runtime reads events and writes responses with: the function's
     * {@link CustomPojoSerializer} (micronaut-aws-lambda-events-serde's, found as the runtime finds
     * it), a new instance of the same classes; null when the function declares none.
     */
    private static CustomPojoSerializer runtimeJson() {
        try {
            return ServiceLoader.load(CustomPojoSerializer.class, Priming.class.getClassLoader()).findFirst().orElse(null);
        } catch (ServiceConfigurationError e) {
            LOG.warn("priming without the runtime's JSON: {}", e.toString());
            return null;
        }
    }

    private static void close(Object resource) {
        if (resource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("priming's {} not closed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private void deleteWritten() {
        List<String> written = WRITTEN.get();
        WRITTEN.remove();
        if (written.isEmpty()) {
            return;
        }
        try {
            context.getBean(RedisAccess.class).delete(written); // in many slots: Lettuce splits the DEL
        } catch (RuntimeException e) {
            LOG.warn("{} priming keys not deleted ({}); they expire by themselves", written.size(), e.toString());
        }
    }

    /** The answers of the last priming, by status. */
    public Map<Integer, Integer> lastStatuses() {
        return lastStatuses;
    }

    private static ProductView card(String productId, long stockLeft) {
        return new ProductView(productId, "priming", 100, 1_000_000, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"),
                10, false, stockLeft, HumanCheck.NONE);
    }

    /** Sends priming requests through the handler and counts their statuses. */
    public static final class Requests {

        private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
        private final CustomPojoSerializer json;
        private final Map<Integer, Integer> statuses;
        private int unexpected;

        private Requests(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, CustomPojoSerializer json,
                         Map<Integer, Integer> statuses) {
            this.handler = handler;
            this.json = json;
            this.statuses = statuses;
        }

        /** A request of the priming user; its response body, after checking its status. */
        public String user(String method, String path, String body, int expectedStatus) {
            return as(USER, SOURCE_IP, method, path, body, expectedStatus);
        }

        /** A request of another priming user, from another address (each has buckets of its own). */
        public String as(String user, String sourceIp, String method, String path, String body, int expectedStatus) {
            return send(event(method, path, body, sourceIp, Map.of("sub", user, "scope", "openid profile")), expectedStatus);
        }

        /** A request of the priming user with the admin scope. */
        public String admin(String method, String path, String body, int expectedStatus) {
            return send(event(method, path, body, SOURCE_IP, Map.of("sub", USER, "scope", "openid " + Caller.ADMIN_SCOPE)),
                    expectedStatus);
        }

        /** A request without JWT claims (a public route). */
        public String anonymous(String method, String path, String body, int expectedStatus) {
            return send(event(method, path, body, SOURCE_IP, null), expectedStatus);
        }

        private String send(APIGatewayV2HTTPEvent event, int expectedStatus) {
            APIGatewayV2HTTPResponse response = invoke(event);
            statuses.merge(response.getStatusCode(), 1, Integer::sum);
            if (response.getStatusCode() != expectedStatus) {
                unexpected++;
            }
            return response.getBody();
        }

        /** As the Lambda runtime invokes: the event read from its JSON, the response written as JSON. */
        private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
            if (json == null) {
                return handler.handleRequest(event, null);
            }
            var request = new ByteArrayOutputStream();
            json.toJson(event, request, APIGatewayV2HTTPEvent.class);
            APIGatewayV2HTTPEvent read = json.fromJson(new ByteArrayInputStream(request.toByteArray()), APIGatewayV2HTTPEvent.class);
            APIGatewayV2HTTPResponse response = handler.handleRequest(read, null);
            json.toJson(response, new ByteArrayOutputStream(), APIGatewayV2HTTPResponse.class);
            return response;
        }

        private static APIGatewayV2HTTPEvent event(String method, String path, String body, String sourceIp,
                                                   Map<String, String> claims) {
            var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                    .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp(sourceIp)
                    .withUserAgent("flashsale-priming").build();
            var requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withHttp(http).withRequestId("priming").withStage("$default").withRouteKey(method + " " + path)
                    .withTimeEpoch(System.currentTimeMillis());
            if (claims != null) {
                requestContext.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                        .build());
            }
            Map<String, String> headers = new HashMap<>();
            headers.put("content-type", "application/json");
            headers.put("user-agent", "flashsale-priming");
            return APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0").withRouteKey(method + " " + path).withRawPath(path).withRawQueryString("")
                    .withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                    .withRequestContext(requestContext.build()).build();
        }
    }

}
