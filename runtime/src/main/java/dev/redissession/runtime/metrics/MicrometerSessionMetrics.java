package dev.redissession.runtime.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.PurgeState;
import dev.redissession.SessionEnded;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.failure.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The session store's Micrometer meters ({@code redis.session.*}), registered when the application has
 * quarkus-micrometer. A {@code tenant} tag only with {@code quarkus.redis-session.metrics.tenant-tag=true}.
 */
@Singleton
public class MicrometerSessionMetrics implements SessionMetrics {

    static final String PREFIX = "redis.session.";

    private final MeterRegistry registry;
    private final boolean tenantTag;
    /** Timers by command name: the few commands of the store, looked up without building an id per call. */
    private final Map<String, Timer> commands = new ConcurrentHashMap<>();

    @Inject
    public MicrometerSessionMetrics(MeterRegistry registry, RedisSessionConfig config) {
        this.registry = registry;
        this.tenantTag = config.metrics().tenantTag();
    }

    @Override
    public void created(String tenant) {
        count("created", "Sessions stored for the first time", tenant, Tags.empty());
    }

    @Override
    public void anonymousCreated(String tenant) {
        count("anonymous.created", "Sessions stored for the first time without user_id", tenant, Tags.empty());
    }

    @Override
    public void invalidated(String tenant) {
        count("invalidated", "Stored sessions the application invalidated", tenant, Tags.empty());
    }

    @Override
    public void rotated(String tenant) {
        count("rotated", "Sessions given a new id", tenant, Tags.empty());
    }

    @Override
    public void expired(String tenant) {
        count("expired", "Sessions found past their absolute deadline when loaded", tenant, Tags.empty());
    }

    @Override
    public void ended(SessionEnded.Reason reason, String tenant) {
        count("ended", "Stored sessions that ended, by reason", tenant, Tags.of("reason", reason.label()));
    }

    @Override
    public void writeConflict(String tenant) {
        count("write.conflicts", "Writes that found the session changed meanwhile and merged onto it", tenant,
                Tags.empty());
    }

    @Override
    public void error(FailureKind kind, String tenant) {
        count("errors", "Failures of the session store, by kind", tenant, Tags.of("error", kind.metricTag()));
    }

    @Override
    public void stored(int bytes, String tenant) {
        DistributionSummary.builder(PREFIX + "size").description("Size of the session values written")
                .baseUnit("bytes").tags(tags(tenant, Tags.empty())).register(registry).record(bytes);
    }

    @Override
    public void command(String command, long nanos) {
        Timer timer = commands.get(command);
        if (timer == null) {
            timer = commands.computeIfAbsent(command, name -> Timer.builder(PREFIX + "command")
                    .description("Redis commands of the session store, answered or not").tag("command", name)
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void purgeDeleted(long keys, String tenant) {
        Counter.builder(PREFIX + "purge.deleted").description("Session keys deleted by tenant purges")
                .tags(tags(tenant, Tags.empty())).register(registry).increment(keys);
    }

    @Override
    public void purgeJobs(ToIntFunction<PurgeState> jobsInState) {
        for (PurgeState state : PurgeState.values()) {
            Gauge.builder(PREFIX + "purge.jobs", () -> jobsInState.applyAsInt(state))
                    .description("Tenant purge jobs of this replica: running, and the last ended ones it keeps")
                    .tag("state", state.json()).strongReference(true).register(registry);
        }
    }

    private void count(String name, String description, String tenant, Tags tags) {
        Counter.builder(PREFIX + name).description(description).tags(tags(tenant, tags)).register(registry)
                .increment();
    }

    private Tags tags(String tenant, Tags tags) {
        return tenantTag && tenant != null ? tags.and("tenant", tenant) : tags;
    }
}
