-- Reads one stock shard of a product: what routing and stock sums need, in one call on its slot.
--
-- KEYS[1] the shard's available stock     fs:{p:<id>:<k>}:stock
-- KEYS[2] the shard's meta hash           fs:{p:<id>:<k>}:meta
-- KEYS[3] the shard's transfers in flight fs:{p:<id>:<k>}:xfer-out
--
-- Returns {stock, shards, inFlight}: stock -1 when the key is gone; shards the product's number
-- of stock shards from the meta (0 when the meta is gone); inFlight a flat list
-- transferId, "recipient|units", ... of the transfers that took units out of this shard and are not
-- closed yet (a handful at most: each is closed right after its recipient side).

local stock = tonumber(redis.call('GET', KEYS[1])) or -1
local shards = tonumber(redis.call('HGET', KEYS[2], 'shards'))
if not shards then
    shards = redis.call('EXISTS', KEYS[2]) == 1 and 1 or 0
end
return {stock, shards, redis.call('HGETALL', KEYS[3])}
