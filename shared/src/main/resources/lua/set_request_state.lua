-- Request state transition: PENDING -> SUCCESS | FAILED, never backwards, never between terminals.
--
-- KEYS[1] request state hash   fs:{p:<id>}:req:<requestId>
-- ARGV[1] new status (PENDING, SUCCESS or FAILED)
-- ARGV[2] orderId ("" when none)
-- ARGV[3] reason ("" when none)
-- ARGV[4] TTL in seconds
-- ARGV[5] userId, ARGV[6] productId, ARGV[7] quantity   (to rebuild a state Redis has lost)
--
-- Returns {1, status} when the state changed, {0, currentStatus} when it was kept.

local request_key = KEYS[1]
local status, order_id, reason = ARGV[1], ARGV[2], ARGV[3]
local ttl = tonumber(ARGV[4])

local rank = { PENDING = 0, SUCCESS = 1, FAILED = 1 }
local current = redis.call('HGET', request_key, 'status')
if current and rank[current] >= rank[status] then
    return {0, current}
end

redis.call('HSET', request_key, 'status', status, 'userId', ARGV[5], 'productId', ARGV[6],
    'quantity', ARGV[7])
if order_id ~= '' then
    redis.call('HSET', request_key, 'orderId', order_id)
end
if reason ~= '' then
    redis.call('HSET', request_key, 'reason', reason)
end
redis.call('EXPIRE', request_key, ttl)
return {1, status}
