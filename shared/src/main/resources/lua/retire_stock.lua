-- Stock retirement: takes units out of Redis that Postgres proved never existed (Redis lost
-- acknowledged writes in a failover and came back with units already sold). Only the
-- reconciliation calls it, after two observations found the same excess, with Redis stock the
-- same at both and no request in flight: it acts only if Redis stock is still what was observed.
--
-- KEYS[1] available stock      fs:{p:<id>}:stock
-- ARGV[1] the stock observed
-- ARGV[2] the excess to take out (1 .. the stock observed)
--
-- Returns the stock after, or -1 when the stock moved since the observation (or is gone): nothing changed.

local stock_key = KEYS[1]
local observed, excess = tonumber(ARGV[1]), tonumber(ARGV[2])

local stock = tonumber(redis.call('GET', stock_key))
if stock == nil or stock ~= observed or excess < 1 or excess > stock then
    return {-1}
end
return {redis.call('DECRBY', stock_key, excess)}
