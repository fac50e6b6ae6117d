package dev.redissession.rest.runtime;

import java.util.List;
import java.util.Optional;

import dev.redissession.SessionRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The neutral view of a Vert.x request (quarkus-rest resources and routes); {@link #unwrap} reaches its
 * {@link RoutingContext} and {@link HttpServerRequest}.
 */
final class RoutingRequest implements SessionRequest {

    private final RoutingContext context;

    RoutingRequest(RoutingContext context) {
        this.context = context;
    }

    @Override
    public String method() {
        return context.request().method().name();
    }

    @Override
    public String path() {
        return context.request().path();
    }

    @Override
    public String header(String name) {
        return context.request().getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        return context.request().headers().getAll(name);
    }

    /** Behind a proxy with Quarkus's forwarding on, the request is wrapped so this is the forwarded host. */
    @Override
    public String host() {
        HostAndPort authority = context.request().authority();
        return authority == null ? null : authority.host();
    }

    @Override
    public String scheme() {
        return context.request().scheme();
    }

    @Override
    public String remoteAddress() {
        SocketAddress remote = context.request().remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(context)) {
            return Optional.of(type.cast(context));
        }
        return type.isInstance(context.request()) ? Optional.of(type.cast(context.request())) : Optional.empty();
    }
}
