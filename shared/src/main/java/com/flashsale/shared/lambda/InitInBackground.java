package com.flashsale.shared.lambda;

/**
 * Lambda's init phase makes every singleton eagerly on one thread; a client that connects (Redis,
 * the database, Kafka) is started here on a thread of its own instead, so that the main thread
 * builds the rest of the context meanwhile. Daemon: a dependency that hangs never keeps the JVM up.
 */
public final class InitInBackground {

    private InitInBackground() {
    }

    public static void start(String threadName, Runnable work) {
        Thread thread = new Thread(work, threadName);
        thread.setDaemon(true);
        thread.start();
    }
}
