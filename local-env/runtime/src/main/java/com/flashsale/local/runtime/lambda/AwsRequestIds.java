package com.flashsale.local.runtime.lambda;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The UUIDs AWS gives each request and invocation. Not {@code UUID.randomUUID()}: its one
 * SecureRandom is a lock every gateway worker and invocation would queue on; these ids need to be
 * unique, not unpredictable.
 */
public final class AwsRequestIds {

    private AwsRequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
