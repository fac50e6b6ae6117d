#!lua flags=allow-oom
-- Sets the cancel flag of an existing purge job; never creates a key (that would have no TTL).
-- KEYS[1]: the job's key
-- Returns 1 when the flag is set, 0 when the job is unknown.
if redis.call('HEXISTS', KEYS[1], 'job') == 1 then redis.call('HSET', KEYS[1], 'cancel', '1') return 1 end
return 0
