-- Token bucket, included by rate_limit.lua and admit_purchase.lua (LuaScript expands "--#include
-- token_bucket" into the script, so there is one implementation): a subject's bucket holds at most
-- `capacity` calls and refills at `rate` calls a second; its hash keeps {tokens, at}.

-- The tokens the bucket holds at `now` (ms), refilled since its last call.
local function bucket_level(bucket_key, rate, capacity, now)
    local state = redis.call('HMGET', bucket_key, 'tokens', 'at')
    local tokens = tonumber(state[1]) or capacity
    local at = tonumber(state[2]) or now
    return math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
end

-- Milliseconds until a bucket holding `tokens` holds `requested`.
local function bucket_wait(tokens, requested, rate)
    return math.ceil((requested - tokens) * 1000 / rate)
end

-- Keeps the bucket's level; an idle bucket is full again after capacity / rate seconds, so it is kept no longer.
local function bucket_store(bucket_key, tokens, now, rate, capacity)
    redis.call('HSET', bucket_key, 'tokens', tostring(tokens), 'at', now)
    redis.call('PEXPIRE', bucket_key, math.ceil(capacity * 1000 / rate) + 1000)
end
