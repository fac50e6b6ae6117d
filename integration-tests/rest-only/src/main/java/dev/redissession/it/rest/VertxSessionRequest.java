package dev.redissession.it.rest;

import java.util.List;
import java.util.Optional;

import dev.redissession.SessionRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * A resource's request as a {@link SessionRequest}, so that it can ask the {@link dev.redissession.TenantResolver}
 * which tenant the door stores its session under (the door keeps its own view of the request to itself).
 */
record VertxSessionRequest(HttpServerRequest request) implements SessionRequest {

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public String host() {
        return Optional.ofNullable(request.authority()).map(HostAndPort::host).orElse(null);
    }

    @Override
    public String scheme() {
        return request.scheme();
    }

    @Override
    public String remoteAddress() {
        return Optional.ofNullable(request.remoteAddress()).map(SocketAddress::hostAddress).orElse(null);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return Optional.of(request).filter(type::isInstance).map(type::cast);
    }
}
