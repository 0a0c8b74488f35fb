-- A container's look at the deny list, once a second (DenyList): the members only when the list
-- changed since the version the container holds.
--
-- KEYS[1] listed users (set)   fs:{deny}:users
-- KEYS[2] version (integer)    fs:{deny}:version
-- ARGV[1] the version the caller holds ("" for none)
--
-- Returns {version} when unchanged, else {version, user1, user2, ...}. Writes nothing.

local users_key, version_key = KEYS[1], KEYS[2]
local known = ARGV[1]

local version = redis.call('GET', version_key) or '0'
if version == known then
    return {version}
end
local reply = {version}
local users = redis.call('SMEMBERS', users_key)
for i = 1, #users do
    reply[i + 1] = users[i]
end
return reply
