package com.flashsale.local.runtime.lambda;

/** Something the local triggers can invoke with an event, as Lambda invokes a function. */
public interface Invocable {

    String name();

    /**
     * @return the function's response as JSON
     * @throws RuntimeException when the invocation failed (the trigger's retry policy applies)
     */
    String invoke(String eventJson);
}
