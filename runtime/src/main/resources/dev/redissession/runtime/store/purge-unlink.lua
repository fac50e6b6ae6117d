#!lua flags=allow-oom
-- Deletes session keys of one slot, and their entries in the slot's expiry index, and answers which keys existed
-- (the purge announces their end) and which were gone but still indexed (their TTL ran out and the expiry sweep has
-- not announced them yet: the purge announces those expiries, the sweep will not find them any more).
-- KEYS[1]: the expiry index of the slot; KEYS[2]: its user ids; KEYS[3..]: the session keys
-- ARGV[1]: the length of the key prefix
-- Returns { positions of the keys that existed, positions of those that had expired }, 1-based in KEYS[3..].
local prefixLength = tonumber(ARGV[1])
local existed = {}
local expired = {}
for i = 3, #KEYS do
  local member = string.sub(KEYS[i], prefixLength + 1)
  local indexed = redis.call('ZREM', KEYS[1], member)
  redis.call('HDEL', KEYS[2], member)
  if redis.call('UNLINK', KEYS[i]) == 1 then
    existed[#existed + 1] = i - 2
  elseif indexed == 1 then
    expired[#expired + 1] = i - 2
  end
end
return { existed, expired }
