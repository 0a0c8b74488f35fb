package com.flashsale.shared.redis;

import java.util.List;

/** The result of loading a product into Redis. */
public record Preload(Outcome outcome, long stock) {

    public enum Outcome { LOADED, UNCHANGED, CONFLICT }

    static Preload fromScript(List<Object> reply) {
        var r = new ScriptReply(reply);
        return new Preload(Outcome.valueOf(r.string(0)), r.number(1));
    }
}
