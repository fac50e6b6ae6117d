package dev.redissession.runtime.config;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.annotations.Recorder;
import io.smallrye.config.SmallRyeConfig;

/** Runs {@link SessionConfigCheck} when the application starts. */
@Recorder
public class SessionConfigRecorder {

    /** @param clientName the Quarkus Redis client of the sessions */
    public void check(String clientName) {
        Config config = ConfigProvider.getConfig();
        SessionConfigCheck.require(config.unwrap(SmallRyeConfig.class).getConfigMapping(RedisSessionConfig.class),
                clientName, name -> config.getOptionalValue(name, String.class).filter(v -> !v.isEmpty()));
    }
}
