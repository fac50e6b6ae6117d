#!lua flags=allow-oom
-- Sets a purge fence to the job's start; a script only so that it runs when Redis is at maxmemory.
-- KEYS[1]: the fence; ARGV[1]: the job's start in epoch milliseconds; ARGV[2]: TTL in milliseconds
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
