package dev.redissession.deployment.devservices;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev Services of the Redis session store: a private {@code redis-server} for dev and test mode.
 */
@ConfigMapping(prefix = "quarkus.redis-session.devservices")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface RedisSessionDevServicesConfig {

    /**
     * Whether dev and test mode start a private {@code redis-server} (free loopback port, no persistence, stopped
     * with the application) when the session's Redis client has no {@code hosts}. Without {@code redis-server} the
     * Quarkus Redis client's container Dev Services are used when a container runtime is there.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The {@code redis-server} binary to start; absent means the first {@code redis-server} on the {@code PATH}.
     */
    Optional<String> redisServer();
}
