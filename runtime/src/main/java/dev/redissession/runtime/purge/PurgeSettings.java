package dev.redissession.runtime.purge;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.config.SessionConfigCheck;

/**
 * What a purge job needs from the configuration, as plain values (so the benchmark can run the engine without CDI).
 *
 * @param scanCount {@code SCAN ... COUNT} hint
 * @param deleteBatch most keys per {@code UNLINK}
 * @param rateLimit most deleted keys per second, empty for no limit
 * @param lockLease life of the tenant's purge lock between renewals
 * @param jobRetention life of a job's state in Redis after its last update
 * @param maxLifetime the sessions' absolute lifetime: how long the purge fence must outlive the job's start
 * @param commandTimeout how long one Redis command (or pipeline) may take before the job fails: the deadline of
 *        {@link PurgeCommands}
 * @param maxConcurrentCommands most commands (or pipelines) all purge jobs of this replica have in flight at once
 */
public record PurgeSettings(int scanCount, int deleteBatch, OptionalInt rateLimit, Duration lockLease,
        Duration jobRetention, Duration maxLifetime, Duration commandTimeout, int maxConcurrentCommands) {

    /** @throws IllegalArgumentException when a value breaks its rule ({@link SessionConfigCheck#purgeProblems}) */
    public PurgeSettings {
        List<String> problems = SessionConfigCheck.purgeProblems(scanCount, deleteBatch,
                rateLimit.isPresent() ? Optional.of(rateLimit.getAsInt()) : Optional.empty(), lockLease, jobRetention,
                maxConcurrentCommands);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public static PurgeSettings of(RedisSessionConfig config) {
        RedisSessionConfig.Purge purge = config.purge();
        return new PurgeSettings(purge.scanCount(), purge.deleteBatch(),
                purge.rateLimit().map(OptionalInt::of).orElse(OptionalInt.empty()), purge.lockLease(),
                purge.jobRetention(), config.maxLifetime(), config.timeout(), purge.maxConcurrentCommands());
    }
}
