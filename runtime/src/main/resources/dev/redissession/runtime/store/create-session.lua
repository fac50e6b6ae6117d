-- Stores a new session, unless its id is taken or a purge of its tenant started after the session was created: a
-- purge may already have scanned past the new key, and it must end every session created before its start.
-- KEYS[1]: the new session's key; KEYS[2]: the tenant's purge fence for that key's slot
-- KEYS[3]: the expiry index of that slot; KEYS[4]: the index's user ids
-- ARGV[1]: the value; ARGV[2]: TTL in milliseconds; ARGV[3]: the session's created_at in epoch milliseconds
-- ARGV[4]: the session's member in the index; ARGV[5]: its deadline in epoch milliseconds; ARGV[6]: its user_id or ''
-- Returns 1 when written, 0 when the key exists, -1 when a purge newer than the session forbids it (nothing written).
local purgeStart = redis.call('GET', KEYS[2])
if purgeStart and tonumber(ARGV[3]) < tonumber(purgeStart) then
  return -1
end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  -- The expiry sweep finds the session here once its deadline passed. The index outlives its members by 30 to 60
-- minutes: renewed (EXPIRE, seconds) only when it would expire less than 30 minutes after this session.
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
  if ARGV[6] ~= '' then
    redis.call('HSET', KEYS[4], ARGV[4], ARGV[6])
  end
  local ttl = tonumber(ARGV[2])
  for i = 3, 4 do
    if redis.call('PTTL', KEYS[i]) < ttl + 1800000 then
      redis.call('EXPIRE', KEYS[i], math.ceil(ttl / 1000) + 3600)
    end
  end
  return 1
end
return 0
