#!lua flags=allow-oom
-- Stores a purge job's JSON, slides its retention, and returns the cancel flag set by any replica.
-- KEYS[1]: the job's key; ARGV[1]: the job as JSON; ARGV[2]: the retention in milliseconds
-- Returns '1' when a cancel was requested, nil otherwise.
redis.call('HSET', KEYS[1], 'job', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('HGET', KEYS[1], 'cancel')
