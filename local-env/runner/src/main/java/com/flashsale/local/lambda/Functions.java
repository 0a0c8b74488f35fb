package com.flashsale.local.lambda;

import java.nio.file.Path;
import java.util.List;

/** The six functions of the system and their Lambda handler settings (the same as in Terraform). */
public enum Functions {
    ADMIN("admin", Functions.HTTP_HANDLER),
    TOKEN("token", Functions.HTTP_HANDLER),
    BUY("buy", Functions.HTTP_HANDLER),
    RESULT("result", Functions.HTTP_HANDLER),
    ORDER_CONSUMER("order-consumer", "com.flashsale.orderconsumer.OrderConsumerHandler"),
    RECONCILIATION("reconciliation", "com.flashsale.reconciliation.ReconciliationHandler");

    /** The handler of every HTTP function (and of the trivial yardstick): Micronaut's API Gateway v2 adapter. */
    public static final String HTTP_HANDLER = "io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction";

    private final String moduleName;
    private final String handler;

    Functions(String moduleName, String handler) {
        this.moduleName = moduleName;
        this.handler = handler;
    }

    public String moduleName() {
        return moduleName;
    }

    public String handler() {
        return handler;
    }

    /** The jar Maven built for Lambda, under the repository root. */
    public Path artifact(Path repositoryRoot) {
        return repositoryRoot.resolve("functions").resolve(moduleName).resolve("target").resolve(moduleName + "-lambda.jar");
    }

    public LocalFunction load(Path repositoryRoot) {
        return LocalFunction.load(moduleName, artifact(repositoryRoot), handler);
    }

    public static List<Functions> http() {
        return List.of(ADMIN, TOKEN, BUY, RESULT);
    }
}
