package dev.redissession.demo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.net.SocketAddress;

/**
 * Adds {@code X-Replica: <name>} to every HTTP response of the app (servlets, the page, the admin API), so a client
 * behind a load balancer sees which replica answered.
 * <p>
 * The name is {@code demo.replica}; by default the host name and the HTTP port the request came in on, so two
 * replicas on one machine differ. A Vert.x route filter rather than a servlet filter: the admin API is not a
 * servlet, and its answers should say where they came from too.
 */
@Singleton
public class ReplicaHeader {

    static final String HEADER = "X-Replica";

    private final Optional<String> configured;
    private final String host;

    ReplicaHeader(@ConfigProperty(name = "demo.replica") Optional<String> configured) {
        this.configured = configured.filter(name -> !name.isBlank());
        this.host = hostName();
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            // At the end, so no handler that resets the headers (an error page, say) can drop it.
            rc.addHeadersEndHandler(ignored -> rc.response().headers().set(HEADER, name(rc.request().localAddress())));
            rc.next();
        }, 100);
    }

    private String name(SocketAddress local) {
        return configured.orElseGet(() -> host + ":" + (local == null ? "?" : local.port()));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // No resolvable host name (a bare container): the kernel's name still tells machines apart.
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
