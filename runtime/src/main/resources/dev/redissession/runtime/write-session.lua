-- Writes a session only if it still holds the value the change was based on (compare-and-set), so concurrent
-- requests never overwrite each other's attributes, and never recreates a session that was deleted meanwhile.
-- KEYS[1]: the session's key; KEYS[2]: its key after the write (differs when the id was rotated; same slot)
-- ARGV[1]: SHA-1 of the value the change was based on; ARGV[2]: the new value; ARGV[3]: TTL in milliseconds
-- Returns 1 when written, 0 when the session is gone, or the current value when it changed in between.
local current = redis.call('GET', KEYS[1])
if not current then
  return 0
end
if redis.sha1hex(current) ~= ARGV[1] then
  return current
end
if KEYS[1] ~= KEYS[2] then
  redis.call('DEL', KEYS[1])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
