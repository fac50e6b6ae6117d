-- Writes a session only if it still holds the value the change was based on (compare-and-set), so concurrent
-- requests never overwrite each other's attributes, and never recreates a session that was deleted meanwhile.
-- KEYS[1]: the session's key; KEYS[2]: its key after the write (differs when the id is rotated; same slot)
-- KEYS[3]: the tenant's purge fence for that slot (read only when rotating)
-- KEYS[4]: the expiry index of that slot; KEYS[5]: the index's user ids
-- ARGV[1]: SHA-1 of the value the change was based on; ARGV[2]: the new value; ARGV[3]: TTL in milliseconds
-- ARGV[4]: the session's created_at in epoch milliseconds
-- ARGV[5]: the session's member in the index before the write; ARGV[6]: after it (differs when rotating)
-- ARGV[7]: its deadline in epoch milliseconds; ARGV[8]: its user_id or ''
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
  redis.call('ZREM', KEYS[4], ARGV[5])
  redis.call('HDEL', KEYS[5], ARGV[5])
  if purgeStart and tonumber(ARGV[4]) < tonumber(purgeStart) then
    return -1
  end
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
-- The expiry sweep finds the session here once its deadline passed. The index outlives its members by 30 to 60
-- minutes: renewed (EXPIRE, seconds) only when it would expire less than 30 minutes after this session.
redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[5], ARGV[6], ARGV[8])
else
  redis.call('HDEL', KEYS[5], ARGV[6])
end
local ttl = tonumber(ARGV[3])
for i = 4, 5 do
  if redis.call('PTTL', KEYS[i]) < ttl + 1800000 then
    redis.call('EXPIRE', KEYS[i], math.ceil(ttl / 1000) + 3600)
  end
end
return 1
