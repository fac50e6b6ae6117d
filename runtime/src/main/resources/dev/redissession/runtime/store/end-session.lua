-- Ends a session (a logout, or one found past its deadline): deletes its key and its entry in the expiry index in one
-- step, so the expiry sweep never announces it again.
-- KEYS[1]: the session's key; KEYS[2]: the expiry index of its slot; KEYS[3]: the index's user ids
-- ARGV[1]: the session's member in the index
-- Returns 1 when the key existed (this call ended it), -1 when it was gone but still indexed (its TTL ran out and
-- the sweep has not announced it yet: the caller announces the expiry instead), 0 when neither.
local existed = redis.call('DEL', KEYS[1])
local indexed = redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if existed == 1 then
  return 1
end
if indexed == 1 then
  return -1
end
return 0
