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
     * The session store's readiness check, when the application has {@code quarkus-smallrye-health}.
     */
    Health health();

    /**
     * The session store's Micrometer meters, when the application has {@code quarkus-micrometer}.
     */
    Metrics metrics();

    /**
     * The session store's readiness check.
     */
    interface Health {
        /**
         * Whether {@code /q/health/ready} includes the check "Redis session store" (every master answers and the
         * session write script may run). Only takes effect with {@code quarkus-smallrye-health}.
         */
        @WithDefault("true")
        boolean enabled();
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
