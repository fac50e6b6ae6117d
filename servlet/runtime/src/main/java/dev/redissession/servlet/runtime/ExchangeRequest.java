package dev.redissession.servlet.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.redissession.SessionRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/** The neutral view of a servlet request; {@link #unwrap} reaches its {@code HttpServletRequest} and exchange. */
public final class ExchangeRequest implements SessionRequest {

    private final HttpServerExchange exchange;

    public ExchangeRequest(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String path() {
        return exchange.getRequestPath();
    }

    @Override
    public String header(String name) {
        return exchange.getRequestHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = exchange.getRequestHeaders(name);
        return values == null ? List.of() : values;
    }

    @Override
    public String host() {
        return exchange.getHostName();
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getHostString();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(exchange)) {
            return Optional.of(type.cast(exchange));
        }
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        Object servlet = context == null ? null : context.getServletRequest();
        return type.isInstance(servlet) ? Optional.of(type.cast(servlet)) : Optional.empty();
    }
}
