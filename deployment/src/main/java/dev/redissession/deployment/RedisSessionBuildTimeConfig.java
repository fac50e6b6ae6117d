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
}
