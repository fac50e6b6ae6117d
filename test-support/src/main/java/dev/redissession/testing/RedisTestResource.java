package dev.redissession.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the Quarkus Redis client at the shared {@link TestRedis} server, e.g.
 * {@code @WithTestResource(RedisTestResource.class)}; with init arg {@code cluster=true} at the shared cluster
 * ({@code @WithTestResource(value = RedisTestResource.class, initArgs = @ResourceArg(name = "cluster", value = "true"))}).
 * Data is not flushed between test classes.
 *
 * <p>
 * Plain tests need none of this: the extension's Dev Services start a redis-server. Use it when a test must
 * share the rig's servers with other code (a cluster, {@link TestRedis#standalone()}'s command statistics). Its
 * values reach only the run-time configuration (Quarkus builds the application before test resources start), so
 * it cannot switch build-time Dev Services off; the extension's own never try Docker while redis-server exists.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private boolean cluster;

    @Override
    public void init(Map<String, String> initArgs) {
        cluster = Boolean.parseBoolean(initArgs.getOrDefault("cluster", "false"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.redis.devservices.enabled", "false");
        if (cluster) {
            config.put("quarkus.redis.hosts", TestRedis.cluster().hosts());
            config.put("quarkus.redis.client-type", "cluster");
        } else {
            config.put("quarkus.redis.hosts", TestRedis.standalone().uri());
        }
        return config;
    }

    @Override
    public void stop() {
        // shared servers outlive a test class; the JVM shutdown hook stops them
    }
}
