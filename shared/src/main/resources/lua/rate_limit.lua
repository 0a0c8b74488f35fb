-- Rate limiting: a token bucket per subject (a user or a client address).
--
-- KEYS[1] bucket hash          fs:rl:{<scope>:<subject>}
-- ARGV[1] refill rate, tokens per second
-- ARGV[2] capacity (the burst allowed after a quiet period)
-- ARGV[3] tokens requested
--
-- Returns {1, tokensLeft, 0} when allowed, {0, tokensLeft, retryAfterMs} when refused.
-- A refused call takes nothing from the bucket.

local bucket_key = KEYS[1]
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local state = redis.call('HMGET', bucket_key, 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)

local allowed = tokens >= requested
local retry_after = 0
if allowed then
    tokens = tokens - requested
else
    retry_after = math.ceil((requested - tokens) * 1000 / rate)
end

redis.call('HSET', bucket_key, 'tokens', tostring(tokens), 'at', now)
-- an idle bucket is full again after capacity / rate seconds; keep it no longer than that
redis.call('PEXPIRE', bucket_key, math.ceil(capacity * 1000 / rate) + 1000)
return {allowed and 1 or 0, math.floor(tokens), retry_after}
