package com.flashsale.shared.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.LambdaContextFactory;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replacement is the {@link LambdaContextFactory} of any application that has shared and
 * micronaut-function-aws (every function), and the stock handler path then registers no context.
 * The 50,000-invocation warm run is result's WarmHandlerTest.
 */
@MicronautTest
class PerInvocationContextIgnoredTest {

    @Inject
    ApplicationContext context;

    static class EchoHandler extends MicronautRequestHandler<String, String> {
        EchoHandler(ApplicationContext context) {
            super(context);
        }

        @Override
        public String execute(String input) {
            return input;
        }
    }

    @Test
    void shouldBeTheContextFactory_andRegisterNoContext_whenEveryInvocationBringsANewOne() {
        EchoHandler handler = new EchoHandler(context);

        for (int i = 0; i < 100; i++) {
            assertThat(handler.handleRequest("in-" + i, lambdaContext("request-" + i))).isEqualTo("in-" + i);
        }

        assertThat(context.getBean(LambdaContextFactory.class)).isInstanceOf(PerInvocationContextIgnored.class);
        assertThat(context.getBeanDefinitions(Context.class)).isEmpty();
    }

    private static Context lambdaContext(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId", "toString" -> requestId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType() == int.class ? 30_000 : null;
                });
    }
}
