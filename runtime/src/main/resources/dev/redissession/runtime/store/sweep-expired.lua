-- One batch of the expiry sweep over one expiry index: the members whose deadline passed. A member whose session
-- still exists (reads slid its TTL without writing) is scored again by its real TTL; one whose key is gone is removed
-- and answered. The whole batch is one atomic step, so of replicas sweeping the same index only one sees each
-- expired member: it alone announces the expiry.
-- KEYS[1]: the expiry index; KEYS[2]: its user ids (same slot: the sessions' keys are in that slot too)
-- ARGV[1]: now in epoch milliseconds; ARGV[2]: the batch size; ARGV[3]: the key prefix
-- Returns how many members were due (the batch size: call again), then the expired members and their user ids
-- ('' for none), flat: { due, member1, user1, member2, user2, ... }.
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local expired = { #due }
local keep = 0
for _, member in ipairs(due) do
  local pttl = redis.call('PTTL', ARGV[3] .. member)
  if pttl == -2 then
    redis.call('ZREM', KEYS[1], member)
    expired[#expired + 1] = member
    expired[#expired + 1] = redis.call('HGET', KEYS[2], member) or ''
    redis.call('HDEL', KEYS[2], member)
  else
    -- -1: a key without TTL (written by someone else): looked at again in an hour
    if pttl < 0 then
      pttl = 3600000
    end
    redis.call('ZADD', KEYS[1], 'XX', now + pttl, member)
    if pttl > keep then
      keep = pttl
    end
  end
end
-- The index outlives the sessions it still holds, as the create and write scripts keep it.
for i = 1, 2 do
  local left = redis.call('PTTL', KEYS[i])
  if left > 0 and left < keep + 1800000 then
    redis.call('EXPIRE', KEYS[i], math.ceil(keep / 1000) + 3600)
  end
end
return expired
