package dev.redissession.runtime.store;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Quarkus Redis client the sessions live in ({@code quarkus.redis-session.client-name}), and its address for
 * log lines.
 */
@Singleton
public class SessionRedis {

    @Inject
    @Any
    Instance<Redis> clients;
    @Inject
    SessionClientName clientName;
    @Inject
    ClusterClients clusterClients;

    private Redis redis;
    private String address;
    private boolean cluster;

    @PostConstruct
    void init() {
        String name = clientName.name();
        // @Default, not a bare get(): with the app's own named clients beside it, @Any matches them all (ambiguous).
        redis = clients.select(clientName.isDefault() ? Default.Literal.INSTANCE : RedisClientName.Literal.of(name))
                .get();
        List<String> hosts = clientProperty(name, "hosts").map(h -> List.of(h.split(","))).orElse(List.of());
        // Credentials in redis://user:password@host must never reach a log line.
        address = hosts.isEmpty() ? "(the hosts of Redis client " + name + " are not set)"
                : String.join(",", hosts.stream().map(h -> h.trim().replaceAll("//[^@/]*@", "//***@")).toList());
        cluster = "cluster".equalsIgnoreCase(clientProperty(name, "client-type").orElse(""));
    }

    /**
     * A property of the named client, under the name the Quarkus Redis client reads it by
     * ({@link RedisConfig#getPropertyName}) or, for a name without dots, quoted ({@code quarkus.redis."NAME".x}), which
     * the client's configuration mapping accepts as well but a plain lookup does not find under the other spelling.
     */
    static Optional<String> clientProperty(String name, String property) {
        Config config = ConfigProvider.getConfig();
        Optional<String> value = config.getOptionalValue(RedisConfig.getPropertyName(name, property), String.class);
        if (value.isPresent() || SessionClientName.DEFAULT.equals(name) || name.contains(".")) {
            return value; // the helper quotes a name with dots itself
        }
        return config.getOptionalValue("quarkus.redis.\"" + name + "\"." + property, String.class);
    }

    public Redis client() {
        return redis;
    }

    /**
     * A new client of the session client's configuration whose hosts start with the {@code first}-th (modulo their
     * number), for rebuilding cluster connections and for sockets the store closes itself ({@link ClusterClients});
     * the caller closes it.
     */
    public Redis clientStartingWith(int first) {
        return clusterClients.startingWith(clientName.name(), first);
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
