#!lua flags=allow-oom
-- Takes the tenant's purge lock for one job. allow-oom: a purge only frees memory, so it must run at maxmemory.
-- KEYS[1]: the lock; ARGV[1]: the job id; ARGV[2]: the lease in milliseconds
-- Returns OK when this job now holds the lock, nil when another job does.
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
