-- Warm-up: loads a product's sale window, card and stock into Redis.
--
-- KEYS[1] product meta hash    fs:{p:<id>}:meta
-- KEYS[2] available stock      fs:{p:<id>}:stock
-- ARGV[1] productId   ARGV[2] name   ARGV[3] priceCents
-- ARGV[4] total stock  ARGV[5] available stock (total minus what is already sold)
-- ARGV[6] startsAtMs  ARGV[7] endsAtMs  ARGV[8] limitPerUser
-- ARGV[9] expireAtMs (every key of the product expires then)
-- ARGV[10] "1" when an admin paused the sale (Postgres keeps the flag), else "0"
-- ARGV[11] the product's number of stock shards (this script loads one of them: KEYS name it,
--          ARGV[5] is its share of the available stock, ARGV[4] the product's total)
-- ARGV[12] humanCheck (none, altcha, provider)  ARGV[13] difficulty (the ALTCHA maxnumber, 0 otherwise)
--
-- Returns {"LOADED", stock}     the keys were written
--         {"UNCHANGED", stock}  already loaded with the same total and window: nothing moved
--         {"CONFLICT", total}   already loaded with another total or window
-- A loaded product is never overwritten: that could reopen stock that was sold.

local meta_key, stock_key = KEYS[1], KEYS[2]

local loaded = redis.call('HMGET', meta_key, 'total', 'startsAt', 'endsAt')
local stock = redis.call('GET', stock_key)
if loaded[1] and stock then
    if loaded[1] == ARGV[4] and loaded[2] == ARGV[6] and loaded[3] == ARGV[7] then
        return {'UNCHANGED', tonumber(stock)}
    end
    return {'CONFLICT', tonumber(loaded[1])}
end

local expire_at = tonumber(ARGV[9])
redis.call('HSET', meta_key, 'productId', ARGV[1], 'name', ARGV[2], 'priceCents', ARGV[3],
    'total', ARGV[4], 'startsAt', ARGV[6], 'endsAt', ARGV[7], 'limitPerUser', ARGV[8],
    'expireAt', ARGV[9], 'paused', ARGV[10], 'shards', ARGV[11], 'humanCheck', ARGV[12], 'difficulty', ARGV[13])
redis.call('PEXPIREAT', meta_key, expire_at)
-- keep a stock that survived without its meta (partial loss): it is newer than any total
if not stock then
    redis.call('SET', stock_key, ARGV[5])
end
redis.call('PEXPIREAT', stock_key, expire_at)
return {'LOADED', tonumber(redis.call('GET', stock_key))}
