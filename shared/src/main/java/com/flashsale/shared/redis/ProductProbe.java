package com.flashsale.shared.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one probe of a product read ({@code probe_product.lua}).
 *
 * @param meta         the product's meta hash, empty when it is not preloaded
 * @param stock        units still available, null when the stock key is absent
 * @param serverTimeMs Redis TIME when it was read
 */
public record ProductProbe(Map<String, String> meta, Long stock, long serverTimeMs) {

    static ProductProbe fromScript(List<Object> reply) {
        var r = new ScriptReply(reply);
        String stock = r.string(0);
        Map<String, String> meta = new HashMap<>();
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            meta.put(r.string(i), r.string(i + 1));
        }
        return new ProductProbe(Map.copyOf(meta), stock.isEmpty() ? null : Long.valueOf(stock), r.number(1));
    }

    /** The product's number of stock shards as its meta says (1 when the meta does not say). */
    public int shards() {
        String shards = meta.get("shards");
        return shards == null || shards.isEmpty() ? 1 : Integer.parseInt(shards);
    }

    /** The same probe with another stock (the units left over every shard). */
    ProductProbe withStock(Long units) {
        return new ProductProbe(meta, units, serverTimeMs);
    }
}
