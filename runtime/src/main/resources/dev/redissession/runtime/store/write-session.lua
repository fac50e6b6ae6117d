-- Writes a session only if it still holds the value the change was based on (compare-and-set), so concurrent
-- requests never overwrite each other's attributes, and never recreates a session that was deleted meanwhile.
-- KEYS[1]: the session's key; KEYS[2]: its key after the write (differs when the id is rotated; same slot)
-- KEYS[3]: the tenant's purge fence for that slot (read only when rotating)
-- ARGV[1]: SHA-1 of the value the change was based on; ARGV[2]: the new value; ARGV[3]: TTL in milliseconds
-- ARGV[4]: the session's created_at in epoch milliseconds
-- Returns 1 when written, 0 when the session is gone, -1 when a purge of its tenant ended it (it is deleted),
-- or the current value when it changed in between.
local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
if redis.sha1hex(current) ~= ARGV[1] then
  return current
end
if KEYS[1] ~= KEYS[2] then
  -- A purge may already have scanned past the new key: a session older than the purge must not move there.
  local purgeStart = redis.call('GET', KEYS[3])
  redis.call('DEL', KEYS[1])
  if purgeStart and tonumber(ARGV[4]) < tonumber(purgeStart) then
    return -1
  end
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
