package dev.redissession.deployment.devservices;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Switches the Quarkus Redis client's container Dev Services off for the session's client when this extension
 * starts a local {@code redis-server} instead, so dev and test mode never probe for Docker first.
 *
 * <p>
 * A config source, not a build step: Quarkus' Redis Dev Services decide from the build-time configuration
 * alone, before any build item of this extension could reach them. Discovered through {@code ServiceLoader} on the
 * deployment class path, so it exists only while an application is built (and in dev and test mode).
 */
public class ContainerDevServicesSwitch implements ConfigSourceFactory {

    /**
     * Above {@code application.properties} (250): an inherited {@code devservices.enabled=true} must not start a second Redis.
     */
    static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            return List.of();
        }
        return LocalRedisPlan.of(name -> value(context, name))
                .filter(plan -> plan.binary().isPresent())
                .<Iterable<ConfigSource>> map(plan -> List.of(new PropertiesConfigSource(
                        Map.of(plan.quarkusDevServicesProperty(), "false"), "redis-session local redis-server", ORDINAL)))
                .orElse(List.of());
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isEmpty() ? Optional.empty()
                : Optional.of(value.getValue());
    }
}
