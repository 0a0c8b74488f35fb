-- Stock transfer, recipient side: adds a transfer's units to the recipient shard, exactly once.
-- Called by the buyer right after transfer_out.lua, and by the reconciliation for every transfer
-- still in flight (a crash between the two calls leaves one that nobody received yet).
--
-- KEYS[1] recipient's available stock   fs:{p:<id>:<j>}:stock
-- KEYS[2] recipient's received transfers fs:{p:<id>:<j>}:xfer-in   (set of transfer ids)
-- KEYS[3] recipient's meta hash         fs:{p:<id>:<j>}:meta       (for the keys' common expiry)
-- ARGV[1] transferId
-- ARGV[2] units
--
-- Returns {1, stockAfter} when this call added the units, {0, stock} when an earlier call did,
-- {-1} when the recipient's keys are gone (nothing added; the transfer stays unfinished).

local stock_key, in_key, meta_key = KEYS[1], KEYS[2], KEYS[3]
local transfer_id = ARGV[1]
local units = tonumber(ARGV[2])

if redis.call('EXISTS', stock_key) == 0 then
    return {-1}
end
if redis.call('SADD', in_key, transfer_id) == 0 then
    return {0, tonumber(redis.call('GET', stock_key))}
end
local expire_at = tonumber(redis.call('HGET', meta_key, 'expireAt'))
if expire_at then
    redis.call('PEXPIREAT', in_key, expire_at)
end
return {1, redis.call('INCRBY', stock_key, units)}
