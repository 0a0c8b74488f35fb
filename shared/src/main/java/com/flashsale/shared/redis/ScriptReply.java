package com.flashsale.shared.redis;

import java.util.List;

/** Typed access to the flat table a script returns (strings and integers). */
record ScriptReply(List<Object> values) {

    String string(int index) {
        Object value = values.get(index);
        return value == null ? null : value.toString();
    }

    long number(int index) {
        Object value = values.get(index);
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }

    int size() {
        return values.size();
    }
}
