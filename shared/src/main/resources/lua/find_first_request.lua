-- Idempotent replay lookup: the first request of an Idempotency-Key, without touching the stock.
-- Used while a container knows the product is sold out, so that a client's retry of an accepted
-- request still gets its request id without the crowd reaching the admission script.
--
-- KEYS[1] idempotency key      fs:{p:<id>}:idem:<userId>:<key>
-- ARGV[1] quantity of the retried request
--
-- Returns {"DUPLICATE", requestId} | {"IDEMPOTENCY_MISMATCH", requestId} | {} when the key is unknown.

local first = redis.call('GET', KEYS[1])
if not first then
    return {}
end
local sep = string.find(first, '|', 1, true)
local first_id = string.sub(first, 1, sep - 1)
if tonumber(string.sub(first, sep + 1)) ~= tonumber(ARGV[1]) then
    return {'IDEMPOTENCY_MISMATCH', first_id}
end
return {'DUPLICATE', first_id}
