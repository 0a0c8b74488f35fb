-- Pauses or resumes a preloaded sale: the admission script refuses SALE_PAUSED while it is set, and
-- product cards (ProductCatalog) see it at their next probe, within a second.
--
-- KEYS[1] product meta hash    fs:{p:<id>}:meta
-- ARGV[1] "1" to pause, "0" to resume
--
-- Returns 1 when the product is in Redis (flag written), 0 when it is not (nothing written: a
-- later preload takes the flag from Postgres).

local meta_key = KEYS[1]
local paused = ARGV[1]

if redis.call('EXISTS', meta_key) == 0 then
    return 0
end
redis.call('HSET', meta_key, 'paused', paused)
return 1
