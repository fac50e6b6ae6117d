package dev.redissession.runtime.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Further Vert.x clients of a Quarkus Redis client's own configuration: whose hosts start with another node, for the
 * cluster rebuild of {@link ClusterConnections} so an attempt does not wait on a hung first host; one whose sockets
 * {@link StandaloneConnections} can close for real; and one per node, for {@link StoreProbe}, which asks each master
 * on its own.
 * <p>
 * Quarkus hands every client's options to each {@link RedisOptionsCustomizer} just before it creates the client, when
 * hosts, credentials, TLS (also through the TLS registry) and the pool are set; this bean keeps them by client name.
 * It keeps the object itself, not a copy, so what customizers called after it change is seen too: a client is created
 * from a copy taken when it is needed, once the Quarkus client exists.
 */
@Singleton
public class ClusterClients implements RedisOptionsCustomizer {

    private final Map<String, RedisOptions> optionsByName = new ConcurrentHashMap<>();

    /** Looked up when a client is created: Quarkus creates its clients, and so this bean, before Vert.x is ready. */
    @Inject
    Instance<Vertx> vertx;

    @Override
    public void customize(String clientName, RedisOptions options) {
        optionsByName.put(clientName, options);
    }

    /**
     * A new client with the options of Quarkus Redis client {@code clientName}, its hosts rotated to start with the
     * {@code first}-th (modulo their number). The caller closes it.
     */
    Redis startingWith(String clientName, int first) {
        RedisOptions options = options(clientName);
        List<String> hosts = options.getEndpoints();
        int start = Math.floorMod(first, hosts.size());
        List<String> rotated = new ArrayList<>(hosts.subList(start, hosts.size()));
        rotated.addAll(hosts.subList(0, start));
        // The copy shares the endpoint list with the original: give it its own.
        return create(new RedisOptions(options).setEndpoints(rotated));
    }

    /** The configured hosts of Quarkus Redis client {@code clientName}, as URIs (with their credentials). */
    List<String> endpoints(String clientName) {
        return List.copyOf(options(clientName).getEndpoints());
    }

    /**
     * A new standalone client to the one node {@code endpoint} (a URI) with the options of Quarkus Redis client
     * {@code clientName} (credentials, TLS). The caller closes it.
     */
    Redis node(String clientName, String endpoint) {
        return create(new RedisOptions(options(clientName)).setType(RedisClientType.STANDALONE)
                .setEndpoints(new ArrayList<>(List.of(endpoint))));
    }

    /**
     * The URI of cluster node {@code hostPort} ({@code host:port}, as {@code CLUSTER SLOTS} names it), with the scheme,
     * credentials and path of the configured {@code endpoint}, as the Vert.x cluster client reaches the nodes too.
     */
    static String nodeEndpoint(String endpoint, String hostPort) {
        int scheme = endpoint.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = start;
        while (end < endpoint.length() && "/?#".indexOf(endpoint.charAt(end)) < 0) {
            end++;
        }
        int credentials = endpoint.lastIndexOf('@', end - 1);
        if (credentials >= start) {
            start = credentials + 1;
        }
        return endpoint.substring(0, start) + hostPort + endpoint.substring(end);
    }

    private RedisOptions options(String clientName) {
        RedisOptions options = optionsByName.get(clientName);
        if (options == null) {
            throw new IllegalStateException("Redis client " + clientName + " was created without the options "
                    + "customizers (" + RedisOptionsCustomizer.class.getName() + " beans) being applied; the "
                    + "session store needs its options to rebuild cluster connections and probe each node, so "
                    + "create the client through quarkus.redis.* configuration");
        }
        return options;
    }

    private Redis create(RedisOptions options) {
        return Redis.newInstance(io.vertx.redis.client.Redis.createClient(vertx.get(), options));
    }
}
