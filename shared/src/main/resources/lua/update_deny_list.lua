-- Adds a user to the deny list or takes one off, and moves the list's version on, so that every
-- container re-reads the list at its next look (read_deny_list.lua). In a slot of its own.
--
-- KEYS[1] listed users (set)   fs:{deny}:users
-- KEYS[2] version (integer)    fs:{deny}:version
-- ARGV[1] "1" to list the user, "0" to take the user off
-- ARGV[2] userId
--
-- Returns the list's new version. Neither key expires: the list lives until an admin changes it.

local users_key, version_key = KEYS[1], KEYS[2]
local listed = ARGV[1] == "1"
local user_id = ARGV[2]

if listed then
    redis.call('SADD', users_key, user_id)
else
    redis.call('SREM', users_key, user_id)
end
return redis.call('INCR', version_key)
