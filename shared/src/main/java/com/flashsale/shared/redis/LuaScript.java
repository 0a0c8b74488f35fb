package com.flashsale.shared.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script shipped as a resource under {@code lua/}, with its SHA1 computed client-side. A line
 * {@code --#include <name>} is replaced by {@code lua/include/<name>.lua}: Redis has no modules, and
 * two scripts that need the same logic (the token bucket) share one text of it this way.
 */
public final class LuaScript {

    /** Declared before the scripts: they are loaded (and their includes expanded) in this order. */
    private static final Pattern INCLUDE = Pattern.compile("(?m)^--#include ([a-z_]+)$");

    public static final LuaScript ADMIT_PURCHASE = load("admit_purchase");
    public static final LuaScript PROBE_PRODUCT = load("probe_product");
    public static final LuaScript PAUSE_SALE = load("pause_sale");
    public static final LuaScript UPDATE_DENY_LIST = load("update_deny_list");
    public static final LuaScript READ_DENY_LIST = load("read_deny_list");
    public static final LuaScript RELEASE_STOCK = load("release_stock");
    public static final LuaScript RETIRE_STOCK = load("retire_stock");
    public static final LuaScript SET_REQUEST_STATE = load("set_request_state");
    public static final LuaScript RATE_LIMIT = load("rate_limit");
    public static final LuaScript PRELOAD_PRODUCT = load("preload_product");
    public static final LuaScript FIND_FIRST_REQUEST = load("find_first_request");
    public static final LuaScript TRANSFER_OUT = load("transfer_out");
    public static final LuaScript TRANSFER_IN = load("transfer_in");
    public static final LuaScript TRANSFER_DONE = load("transfer_done");
    public static final LuaScript READ_SHARD = load("read_shard");

    private final String name;
    private final String body;
    private final String sha1;

    private LuaScript(String name, String body) {
        this.name = name;
        this.body = body;
        this.sha1 = sha1Hex(body);
    }

    static LuaScript load(String name) {
        return new LuaScript(name, expandIncludes(read("/lua/" + name + ".lua")));
    }

    private static String expandIncludes(String body) {
        Matcher include = INCLUDE.matcher(body);
        StringBuilder expanded = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(expanded, Matcher.quoteReplacement(read("/lua/include/" + include.group(1) + ".lua")));
        }
        return include.appendTail(expanded).toString();
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String body() {
        return body;
    }

    public String sha1() {
        return sha1;
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + sha1.substring(0, 8);
    }
}
