-- The product card's probe: what a warm container needs to answer token requests from memory
-- (window, pause, stock), read at most once a second per container and product (ProductCatalog).
--
-- KEYS[1] product meta hash    fs:{p:<id>}:meta
-- KEYS[2] available stock      fs:{p:<id>}:stock
--
-- Returns {stock, nowMs, field1, value1, field2, value2, ...}: the stock ("" when absent), Redis
-- server TIME in ms, then the meta hash (no fields when the product is not preloaded). Writes nothing.

local meta_key, stock_key = KEYS[1], KEYS[2]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local reply = {redis.call('GET', stock_key) or '', now}
local meta = redis.call('HGETALL', meta_key)
for i = 1, #meta do
    reply[i + 2] = meta[i]
end
return reply
