package com.flashsale.http;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flashsale.shared.priming.PrimingConfiguration;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** After its rounds, priming runs whole passes of rounds until one leaves the JIT compiler with nothing to do. */
class PrimingSettleTest {

    private static final int ROUNDS = 10;

    @Test
    void shouldRunSettlingPassesOfWholeRounds_afterTheRounds() {
        int answered = new OneRequestPerRound(new PrimingConfiguration(ROUNDS, 6)).prime().get(200);

        int settling = answered - ROUNDS;
        assertThat(settling).as("rounds of the settling passes").isPositive().isLessThanOrEqualTo(6 * Priming.SETTLE_ROUNDS);
        assertThat(settling % Priming.SETTLE_ROUNDS).as("whole passes").isZero();
    }

    @Test
    void shouldCountTheSettlingPasses_inTheRoundsItMayRun() {
        // buy's priming sale has this much stock: else the settling passes' purchases are refused sold out
        Priming priming = new OneRequestPerRound(new PrimingConfiguration(ROUNDS, 6));
        int answered = priming.prime().get(200);

        assertThat(priming.rounds()).isEqualTo(ROUNDS + 6 * Priming.SETTLE_ROUNDS).isGreaterThanOrEqualTo(answered);
    }

    @Test
    void shouldRunTheRoundsOnly_withoutSettlingPasses() {
        assertThat(new OneRequestPerRound(new PrimingConfiguration(ROUNDS, 0)).prime().get(200)).isEqualTo(ROUNDS);
    }

    /** A function whose round is one request, answered 200 by a handler of its own (no context needed). */
    private static final class OneRequestPerRound extends Priming {

        OneRequestPerRound(PrimingConfiguration configuration) {
            super(null, configuration);
        }

        @Override
        protected void round(Requests requests) {
            requests.user("GET", "/api/products/" + PRODUCT_IN_STOCK, null, 200);
        }

        @Override
        protected RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler(ApplicationContext context) {
            return (event, lambdaContext) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build();
        }
    }
}
