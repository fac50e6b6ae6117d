package dev.redissession.runtime.session;

import java.time.Duration;
import java.util.Optional;

/**
 * The servlet deployment's default session timeout, from {@code web.xml} {@code <session-config><session-timeout>}
 * (minutes; {@code 0} or less: sessions never time out for inactivity), read at build time.
 *
 * @param minutes {@code null} when the deployment sets none
 */
public record DeploymentSessionTimeout(Integer minutes) {

    /** The idle timeout it sets, {@link Duration#ZERO} for none; empty when the deployment sets none. */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(minutes).map(m -> m > 0 ? Duration.ofMinutes(m) : Duration.ZERO);
    }
}
