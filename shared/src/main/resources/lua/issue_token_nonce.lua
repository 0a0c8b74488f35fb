-- Purchase-token nonce: registers a one-time nonce if the product can be bought right now.
--
-- KEYS[1] product meta hash    fs:{p:<id>}:meta
-- KEYS[2] available stock      fs:{p:<id>}:stock
-- KEYS[3] token nonce          fs:{p:<id>}:nonce:<nonce>
-- ARGV[1] token lifetime in seconds (the nonce expires with the token)
-- ARGV[2] "1" when this is the user's home shard of a sharded product and other shards still hold
--         units (its own stock may be 0: a transfer fills it at buy time), else "0"
--
-- Returns {"ISSUED", nowMs, expiresAtMs} | {"NOT_FOUND"} | {"SALE_NOT_STARTED", startsAtMs, nowMs}
--       | {"SALE_ENDED", endsAtMs, nowMs} | {"SOLD_OUT"}

local meta_key, stock_key, nonce_key = KEYS[1], KEYS[2], KEYS[3]
local ttl_seconds = tonumber(ARGV[1])
local other_shards_have_stock = ARGV[2] == '1'

local meta = redis.call('HMGET', meta_key, 'startsAt', 'endsAt')
local stock = tonumber(redis.call('GET', stock_key))
if not meta[1] or not stock then
    return {'NOT_FOUND'}
end
local starts_at, ends_at = tonumber(meta[1]), tonumber(meta[2])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if now < starts_at then
    return {'SALE_NOT_STARTED', starts_at, now}
end
if now >= ends_at then
    return {'SALE_ENDED', ends_at, now}
end
if stock <= 0 and not other_shards_have_stock then
    return {'SOLD_OUT'}
end

redis.call('SET', nonce_key, '1', 'EX', ttl_seconds)
return {'ISSUED', now, now + ttl_seconds * 1000}
