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
import io.vertx.redis.client.RedisOptions;

/**
 * Further Vert.x clients of a Quarkus Redis client's own configuration, whose hosts start with another node: the
 * cluster rebuild of {@link ClusterConnections} uses them so an attempt does not wait on a hung first host, and
 * {@link StandaloneConnections} one whose sockets it can close for real.
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
        RedisOptions options = optionsByName.get(clientName);
        if (options == null) {
            throw new IllegalStateException("Redis client " + clientName + " was created without the options "
                    + "customizers (" + RedisOptionsCustomizer.class.getName() + " beans) being applied; the "
                    + "session store needs its options to rebuild cluster connections, so create the client through "
                    + "quarkus.redis.* configuration");
        }
        List<String> hosts = options.getEndpoints();
        int start = Math.floorMod(first, hosts.size());
        List<String> rotated = new ArrayList<>(hosts.subList(start, hosts.size()));
        rotated.addAll(hosts.subList(0, start));
        // The copy shares the endpoint list with the original: give it its own.
        return Redis.newInstance(io.vertx.redis.client.Redis.createClient(vertx.get(),
                new RedisOptions(options).setEndpoints(rotated)));
    }
}
