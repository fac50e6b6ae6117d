package dev.redissession.deployment.devservices;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import dev.redissession.runtime.store.SessionClientName;
import io.quarkus.redis.runtime.client.config.RedisConfig;

/**
 * Decides, from the raw build-time configuration, whether the Dev Services of the session store start a local
 * {@code redis-server}; shared by the config source that keeps Quarkus' container Dev Services off and the build
 * step that starts the server, so both always agree.
 */
record LocalRedisPlan(String clientName, Optional<Path> binary, String configuredBinary) {

    static final String BINARY_PROPERTY = "quarkus.redis-session.devservices.redis-server";

    /**
     * @param config a raw config lookup (empty when the property is absent)
     * @return the plan when the session store needs a Redis from Dev Services at all: sessions and both Dev Services
     *         switches on, and no {@code hosts} (nor a hosts provider) for the session's client
     */
    static Optional<LocalRedisPlan> of(Function<String, Optional<String>> config) {
        if (!flag(config, "quarkus.redis-session.enabled") || !flag(config, "quarkus.redis-session.devservices.enabled")
                || !flag(config, "quarkus.devservices.enabled")) {
            return Optional.empty();
        }
        String client = config.apply("quarkus.redis-session.client-name").orElse(SessionClientName.DEFAULT);
        if (config.apply(RedisConfig.getPropertyName(client, "hosts")).isPresent()
                || config.apply(RedisConfig.getPropertyName(client, "hosts-provider-name")).isPresent()) {
            return Optional.empty();
        }
        Optional<String> configured = config.apply(BINARY_PROPERTY);
        return Optional.of(new LocalRedisPlan(client, configured.map(LocalRedisPlan::executable)
                .orElseGet(() -> onPath("redis-server")), configured.orElse(null)));
    }

    /** The property that switches the Quarkus Redis client's own (container) Dev Services for this client. */
    String quarkusDevServicesProperty() {
        return RedisConfig.getPropertyName(clientName, "devservices.enabled");
    }

    String hostsProperty() {
        return RedisConfig.getPropertyName(clientName, "hosts");
    }

    private static boolean flag(Function<String, Optional<String>> config, String name) {
        return config.apply(name).map(Boolean::parseBoolean).orElse(true);
    }

    private static Optional<Path> executable(String path) {
        Path p = Path.of(path);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Optional<Path> found = dir.isEmpty() ? Optional.empty() : executable(Path.of(dir, name).toString());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
