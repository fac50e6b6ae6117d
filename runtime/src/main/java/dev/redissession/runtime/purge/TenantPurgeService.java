package dev.redissession.runtime.purge;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.PurgeJob;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.store.SessionRedis;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The {@link TenantPurge} bean: the {@link PurgeEngine} wired to the session store's Redis client and configuration.
 */
@Singleton
public class TenantPurgeService implements TenantPurge {

    @Inject
    SessionRedis sessionRedis;
    @Inject
    RedisSessionConfig config;

    private PurgeEngine engine;

    @PostConstruct
    void init() {
        PurgeCommands commands = new PurgeCommands(sessionRedis.client(), sessionRedis.isCluster(), config.timeout(),
                sessionRedis.address());
        engine = new PurgeEngine(commands, new SessionKeys(config.keyPrefix()), PurgeSettings.of(config));
    }

    @PreDestroy
    void stop() {
        engine.shutdown();
    }

    @Override
    public Multi<PurgeJob> purge(String tenant) {
        return engine.purge(tenant);
    }

    @Override
    public Uni<PurgeJob> purgeToEnd(String tenant) {
        return engine.purge(tenant).collect().last();
    }

    @Override
    public Uni<PurgeJob> start(String tenant) {
        return engine.start(tenant);
    }

    @Override
    public Uni<Optional<PurgeJob>> job(String jobId) {
        return engine.job(jobId);
    }

    @Override
    public Multi<PurgeJob> events(String jobId) {
        return engine.events(jobId);
    }

    @Override
    public Uni<PurgeJob> cancel(String jobId) {
        return engine.cancel(jobId);
    }

    @Override
    public Uni<Long> countSessions(String tenant) {
        return engine.countSessions(tenant);
    }
}
