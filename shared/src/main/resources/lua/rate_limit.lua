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

--#include token_bucket

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local tokens = bucket_level(bucket_key, rate, capacity, now)
local allowed = tokens >= requested
local retry_after = 0
if allowed then
    tokens = tokens - requested
else
    retry_after = bucket_wait(tokens, requested, rate)
end
bucket_store(bucket_key, tokens, now, rate, capacity)
return {allowed and 1 or 0, math.floor(tokens), retry_after}
