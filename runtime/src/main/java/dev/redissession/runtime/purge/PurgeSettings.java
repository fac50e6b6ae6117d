package dev.redissession.runtime.purge;

import java.time.Duration;
import java.util.OptionalInt;

import dev.redissession.runtime.config.RedisSessionConfig;

/**
 * What a purge job needs from the configuration, as plain values (so the benchmark can run the engine without CDI).
 *
 * @param scanCount {@code SCAN ... COUNT} hint
 * @param deleteBatch most keys per {@code UNLINK}
 * @param rateLimit most deleted keys per second, empty for no limit
 * @param lockLease life of the tenant's purge lock between renewals
 * @param jobRetention life of a job's state in Redis after its last update
 * @param maxLifetime the sessions' absolute lifetime: how long the purge fence must outlive the job's start
 * @param commandTimeout how long one Redis command may take before the job fails
 */
public record PurgeSettings(int scanCount, int deleteBatch, OptionalInt rateLimit, Duration lockLease,
        Duration jobRetention, Duration maxLifetime, Duration commandTimeout) {

    public PurgeSettings {
        if (scanCount < 1 || deleteBatch < 1) {
            throw new IllegalArgumentException("quarkus.redis-session.purge.scan-count and delete-batch must be "
                    + "at least 1 (got " + scanCount + " and " + deleteBatch + ")");
        }
        if (rateLimit.isPresent() && rateLimit.getAsInt() < 1) {
            throw new IllegalArgumentException("quarkus.redis-session.purge.rate-limit must be at least 1 key/s "
                    + "(got " + rateLimit.getAsInt() + "); leave it unset for no limit");
        }
        if (lockLease.toMillis() < 300) {
            throw new IllegalArgumentException("quarkus.redis-session.purge.lock-lease must be at least 300 ms");
        }
    }

    public static PurgeSettings of(RedisSessionConfig config) {
        RedisSessionConfig.Purge purge = config.purge();
        return new PurgeSettings(purge.scanCount(), purge.deleteBatch(),
                purge.rateLimit().map(OptionalInt::of).orElse(OptionalInt.empty()), purge.lockLease(),
                purge.jobRetention(), config.maxLifetime(), config.timeout());
    }
}
