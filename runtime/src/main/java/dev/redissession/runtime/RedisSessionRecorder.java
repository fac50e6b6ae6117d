package dev.redissession.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.quarkus.runtime.annotations.Recorder;

@Recorder
public class RedisSessionRecorder {

    /** @param clientName the Quarkus Redis client the sessions live in */
    public void useClient(String clientName) {
        SessionRedis.clientName = clientName;
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
