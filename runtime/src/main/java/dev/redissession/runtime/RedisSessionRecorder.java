package dev.redissession.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.redissession.runtime.codec.SessionCodec;
import dev.redissession.runtime.session.DeploymentSessionTimeout;
import dev.redissession.runtime.store.SessionClientName;
import io.quarkus.runtime.annotations.Recorder;

/**
 * Hands build-time decisions (the Redis client, the registered attribute types, the deployment's session timeout) to
 * run time as beans.
 */
@Recorder
public class RedisSessionRecorder {

    /** @param clientName the Quarkus Redis client the sessions live in */
    public Supplier<SessionClientName> clientName(String clientName) {
        SessionClientName name = new SessionClientName(clientName);
        return () -> name;
    }

    /** @param webXmlMinutes {@code web.xml}'s {@code <session-timeout>}, {@code null} when it has none */
    public Supplier<DeploymentSessionTimeout> deploymentTimeout(Integer webXmlMinutes) {
        DeploymentSessionTimeout timeout = new DeploymentSessionTimeout(webXmlMinutes);
        return () -> timeout;
    }

    /** @param types type name stored in Redis to class name, as registered at build time */
    public Supplier<SessionCodec> codec(Map<String, String> types) {
        Map<String, Class<?>> classes = new LinkedHashMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        types.forEach((name, className) -> {
            try {
                classes.put(name, Class.forName(className, false, loader));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Registered session attribute type " + className + " is missing", e);
            }
        });
        SessionCodec codec = new SessionCodec(classes);
        return () -> codec;
    }
}
