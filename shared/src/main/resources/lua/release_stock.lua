-- Stock settlement of a failed request, exactly once: gives its stock back (the unit exists: the
-- user already held an order, the event was invalid, the order was cancelled) or retires it
-- (Postgres had no stock left: the unit never existed, Redis held one too many after losing
-- writes). Either way the request is marked settled and the user's slot is freed.
--
-- KEYS[1] available stock      fs:{p:<id>}:stock
-- KEYS[2] released set         fs:{p:<id>}:released   (request ids settled: stock back or retired)
-- KEYS[3] buyers hash          fs:{p:<id>}:buyers
-- KEYS[4] product meta hash    fs:{p:<id>}:meta       (for the keys' common expiry)
-- ARGV[1] requestId
-- ARGV[2] userId
-- ARGV[3] quantity
-- ARGV[4] "1" to give the stock back, "0" to retire it
--
-- Returns {1, stockAfter} when this call settled the request, {0, stock} when an earlier one did,
-- {-1} when the product's keys are gone (nothing to release into; the reconciliation rebuilds them).
-- The released set expires with the sale's keys (meta's expireAt, else the stock's own TTL).

local stock_key, released_key, buyers_key, meta_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local request_id, user_id = ARGV[1], ARGV[2]
local quantity = tonumber(ARGV[3])
local give_back = ARGV[4] == '1'

if redis.call('EXISTS', stock_key) == 0 then
    return {-1}
end
if redis.call('SADD', released_key, request_id) == 0 then
    return {0, tonumber(redis.call('GET', stock_key))}
end
local expire_at = tonumber(redis.call('HGET', meta_key, 'expireAt'))
if expire_at then
    redis.call('PEXPIREAT', released_key, expire_at)
else
    local stock_ttl = redis.call('PTTL', stock_key)
    if stock_ttl > 0 then
        redis.call('PEXPIRE', released_key, stock_ttl)
    end
end

local stock_after
if give_back then
    stock_after = redis.call('INCRBY', stock_key, quantity)
else
    stock_after = tonumber(redis.call('GET', stock_key))
end
-- free the slot only if it still belongs to this request (the user may have bought again since)
if redis.call('HGET', buyers_key, user_id) == request_id then
    redis.call('HDEL', buyers_key, user_id)
end
return {1, stock_after}
