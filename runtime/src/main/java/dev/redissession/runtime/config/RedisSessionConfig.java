package dev.redissession.runtime.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Run-time configuration of the Redis session store.
 */
@ConfigMapping(prefix = "quarkus.redis-session")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface RedisSessionConfig {

    /**
     * Prefix of every session key; a key reads {@code <prefix><tenant>:<session id>}.
     */
    @WithDefault("session:")
    String keyPrefix();

    /**
     * Default idle timeout of a session (the servlet max-inactive-interval). Every access slides it.
     */
    @WithDefault("30M")
    Duration idleTimeout();

    /**
     * Absolute lifetime of a session, counted from its {@code created_at}; no access extends it.
     */
    @WithDefault("8H")
    Duration maxLifetime();

    /**
     * How long a request waits for one Redis command before it fails with 503.
     */
    @WithDefault("5S")
    Duration timeout();

    /**
     * How many times a write retries when another request changed the same session in between.
     */
    @WithDefault("32")
    int maxWriteRetries();

    /**
     * How many long-lived, pipelined connections the session store keeps to Redis (per cluster node on Redis
     * Cluster), opened through the session's Quarkus Redis client. Every request shares them, so the client's pool
     * size does not limit how many requests may use their session at once.
     */
    @WithDefault("2")
    int connections();

    /**
     * How the tenant of a request is found.
     */
    Tenant tenant();

    /**
     * Tenant resolution.
     */
    interface Tenant {
        /**
         * Built-in strategy: {@code fixed} (always {@code default}), {@code header} (the request header
         * {@code header}, or {@code default} when absent) or {@code host} (first label of the Host name, or
         * {@code default} for an IP address). Ignored when the application provides its own
         * {@code TenantResolver} bean.
         */
        @WithDefault("fixed")
        Strategy strategy();

        /**
         * The tenant used by the {@code fixed} strategy, and by the others when the request does not name one.
         */
        @WithName("default")
        @WithDefault("default")
        String defaultTenant();

        /**
         * The request header that names the tenant, for the {@code header} strategy.
         */
        @WithDefault("X-Tenant-Id")
        String header();
    }

    /**
     * The built-in tenant resolution strategies.
     */
    enum Strategy {
        /** Every request belongs to the default tenant. */
        FIXED,
        /** The tenant is named by a request header. */
        HEADER,
        /** The tenant is the first label of the Host name. */
        HOST
    }

    /**
     * Tenant purge jobs ({@code TenantPurge} and the admin API).
     */
    Purge purge();

    /**
     * Tenant purge jobs.
     */
    interface Purge {
        /**
         * The {@code COUNT} hint of each {@code SCAN} page: roughly how many keys one page makes Redis look at.
         * Larger pages mean fewer round trips but a longer single command for everyone else.
         */
        @WithDefault("500")
        int scanCount();

        /**
         * Largest number of keys removed by one {@code UNLINK}.
         */
        @WithDefault("500")
        int deleteBatch();

        /**
         * Upper bound on deleted keys per second across the whole job; absent means as fast as Redis answers.
         */
        Optional<Integer> rateLimit();

        /**
         * How long the tenant's purge lock lives without renewal; the running job renews it every third of this.
         * A replica that dies mid-purge blocks new purges of the tenant for at most this long.
         */
        @WithDefault("30S")
        Duration lockLease();

        /**
         * How long a job's state (for {@code GET /admin/sessions/purges/{id}}) is kept in Redis after its last update.
         */
        @WithDefault("24H")
        Duration jobRetention();
    }
}
