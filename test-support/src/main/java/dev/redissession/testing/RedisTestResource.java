package dev.redissession.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the Quarkus Redis client at the shared {@link TestRedis} server, e.g.
 * {@code @WithTestResource(RedisTestResource.class)}; with init arg {@code cluster=true} at the shared cluster
 * ({@code @WithTestResource(value = RedisTestResource.class, initArgs = @ResourceArg(name = "cluster", value = "true"))}).
 * Dev services are switched off so no container is attempted. Data is not flushed between test classes.
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
