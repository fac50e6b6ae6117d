-- Stores a new session, unless its id is taken or a purge of its tenant started after the session was created: a
-- purge may already have scanned past the new key, and it must end every session created before its start.
-- KEYS[1]: the new session's key; KEYS[2]: the tenant's purge fence for that key's slot
-- ARGV[1]: the value; ARGV[2]: TTL in milliseconds; ARGV[3]: the session's created_at in epoch milliseconds
-- Returns 1 when written, 0 when the key exists, -1 when a purge newer than the session forbids it (nothing written).
local purgeStart = redis.call('GET', KEYS[2])
if purgeStart and tonumber(ARGV[3]) < tonumber(purgeStart) then
  return -1
end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return 1
end
return 0
