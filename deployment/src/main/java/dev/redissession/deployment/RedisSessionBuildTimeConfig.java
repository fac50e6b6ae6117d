package dev.redissession.deployment;

import java.util.List;
import java.util.Optional;

import dev.redissession.runtime.store.SessionClientName;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Build-time configuration of the Redis session store.
 */
@ConfigMapping(prefix = "quarkus.redis-session")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface RedisSessionBuildTimeConfig {

    /**
     * Whether HTTP sessions are stored in Redis. When {@code false} Undertow keeps its in-memory sessions.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Name of the Quarkus Redis client to use ({@code quarkus.redis.<name>.hosts}); absent means the default client.
     */
    Optional<String> clientName();

    /** The client the sessions live in: {@link #clientName()}, or {@link SessionClientName#DEFAULT}. */
    default String sessionClient() {
        return clientName().orElse(SessionClientName.DEFAULT);
    }

    /**
     * Classes, besides those annotated {@code @SessionAttributeType}, whose instances may be stored as session
     * attributes. Each is written as JSON and read back as the same class.
     */
    Optional<List<String>> attributeTypes();

    /**
     * The session store's health check, when the application has {@code quarkus-smallrye-health}.
     */
    Health health();

    /**
     * The session store's Micrometer meters, when the application has {@code quarkus-micrometer}.
     */
    Metrics metrics();

    /**
     * The session store's health check.
     */
    interface Health {
        /**
         * Whether the health check "Redis session store" is reported (UP while a master serves sessions and the
         * session write script may run). Only takes effect with {@code quarkus-smallrye-health}.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Where the check "Redis session store" is reported: {@code readiness} ({@code /q/health/ready}: a replica
         * that reaches no Redis master leaves the load balancer) or {@code wellness} ({@code /q/health/well}:
         * reported, but no Kubernetes probe depends on it, so a Redis outage never empties the Service; requests then
         * answer 503 {@code session_store_unavailable} themselves).
         */
        @WithDefault("readiness")
        Kind kind();

        /** Values of {@code kind}. */
        enum Kind {
            /** {@code /q/health/ready}. */
            READINESS,
            /** {@code /q/health/well}. */
            WELLNESS
        }
    }

    /**
     * The session store's Micrometer meters.
     */
    interface Metrics {
        /**
         * Whether the session store publishes its meters ({@code redis.session.*}). Only takes effect with
         * {@code quarkus-micrometer}.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
