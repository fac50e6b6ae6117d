#!lua flags=allow-oom
-- Extends the tenant's purge lock only if this job still holds it.
-- KEYS[1]: the lock; ARGV[1]: the job id; ARGV[2]: the lease in milliseconds
-- Returns 1 when extended, 0 when the lock is gone or another job's.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
