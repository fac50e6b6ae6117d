package dev.redissession.deployment;

import java.util.function.BooleanSupplier;

/** Whether the store is on ({@code quarkus.redis-session.enabled}): the build steps of the core and the doors ask. */
public final class SessionStoreEnabled implements BooleanSupplier {
    private final RedisSessionBuildTimeConfig config;

    public SessionStoreEnabled(RedisSessionBuildTimeConfig config) {
        this.config = config;
    }

    @Override
    public boolean getAsBoolean() {
        return config.enabled();
    }
}
