package dev.redissession.runtime;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.redis.client.RedisClientName;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Quarkus Redis client the sessions live in ({@code quarkus.redis-session.client-name}), and its address for
 * log lines.
 */
@Singleton
public class SessionRedis {

    static final String DEFAULT_CLIENT = "<default>";

    @Inject
    @Any
    Instance<Redis> clients;

    /** Set at static init by {@link RedisSessionRecorder}, from build-time configuration. */
    static volatile String clientName = DEFAULT_CLIENT;

    private Redis redis;
    private String address;
    private boolean cluster;

    @PostConstruct
    void init() {
        String name = clientName;
        redis = DEFAULT_CLIENT.equals(name) ? clients.get() : clients.select(RedisClientName.Literal.of(name)).get();
        String prefix = DEFAULT_CLIENT.equals(name) ? "quarkus.redis." : "quarkus.redis.\"" + name + "\".";
        var config = ConfigProvider.getConfig();
        List<String> hosts = config.getOptionalValues(prefix + "hosts", String.class).orElse(List.of());
        // Credentials in redis://user:password@host must never reach a log line.
        address = hosts.isEmpty() ? "(" + prefix + "hosts not set)"
                : String.join(",", hosts.stream().map(h -> h.replaceAll("//[^@/]*@", "//***@")).toList());
        cluster = "cluster".equalsIgnoreCase(config.getOptionalValue(prefix + "client-type", String.class).orElse(""));
    }

    public Redis client() {
        return redis;
    }

    /** The configured hosts, without credentials. */
    public String address() {
        return address;
    }

    /** Whether the client talks to a Redis Cluster ({@code client-type=cluster}). */
    public boolean isCluster() {
        return cluster;
    }
}
