package dev.redissession.runtime.config;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.Recorder;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/** Runs {@link SessionConfigCheck} when the application starts, and warns about settings that override each other. */
@Recorder
public class SessionConfigRecorder {

    private static final Logger LOG = Logger.getLogger(SessionConfigRecorder.class);
    private static final String IDLE_TIMEOUT = "quarkus.redis-session.idle-timeout";

    /**
     * @param clientName the Quarkus Redis client of the sessions
     * @param webXmlMinutes {@code web.xml}'s {@code <session-timeout>}, {@code null} when it has none
     */
    public void check(String clientName, Integer webXmlMinutes) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        RedisSessionConfig sessions = config.getConfigMapping(RedisSessionConfig.class);
        SessionConfigCheck.require(sessions, clientName,
                name -> config.getOptionalValue(name, String.class).filter(v -> !v.isEmpty()));
        ConfigValue idle = config.getConfigValue(IDLE_TIMEOUT);
        SessionConfigCheck.timeoutConflict(webXmlMinutes, sessions.idleTimeout(), isSet(idle))
                .ifPresent(LOG::warn);
    }

    /** Whether a property was set somewhere, rather than only defaulted by its mapping. */
    private static boolean isSet(ConfigValue value) {
        return value.getRawValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE
                && !value.getSourceName().contains("Default");
    }
}
