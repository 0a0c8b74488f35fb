-- Stock transfer, last step on the donor: the recipient has the units (transfer_in.lua answered),
-- so the transfer is no longer in flight. Until then the donor's record counts its units as
-- in flight, and the reconciliation finishes it (transfer_in.lua, then this).
--
-- KEYS[1] donor's transfers in flight fs:{p:<id>:<k>}:xfer-out   (transferId -> "recipient|units")
-- ARGV[1] transferId
--
-- Returns {1} when this call closed it, {0} when it was closed already.

return {redis.call('HDEL', KEYS[1], ARGV[1])}
