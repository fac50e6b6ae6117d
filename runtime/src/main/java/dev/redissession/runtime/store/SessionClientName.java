package dev.redissession.runtime.store;

/**
 * The name of the Quarkus Redis client the sessions live in ({@code quarkus.redis-session.client-name}, a build-time
 * property), as a bean the recorder provides.
 *
 * @param name the client name, or {@link #DEFAULT} for the default client
 */
public record SessionClientName(String name) {

    public static final String DEFAULT = "<default>";

    public boolean isDefault() {
        return DEFAULT.equals(name);
    }
}
