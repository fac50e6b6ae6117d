package dev.redissession;

import java.util.List;
import java.util.Optional;

/**
 * What the session store sees of an HTTP request, the same through every door (servlets, quarkus-rest resources,
 * Vert.x routes): what a {@link TenantResolver} decides on and where the session id travels.
 */
public interface SessionRequest {

    /** The HTTP method, e.g. {@code GET}. */
    String method();

    /** The request path, without the query string. */
    String path();

    /** The first value of the header, {@code null} when the request has none. */
    String header(String name);

    /** Every value of the header in the order the request sent them, empty when it has none. */
    List<String> headers(String name);

    /** The host name the client addressed (without the port), as Quarkus sees it behind a forwarding proxy. */
    String host();

    /** {@code http} or {@code https}, as Quarkus sees it behind a forwarding proxy. */
    String scheme();

    /** The client's address, {@code null} when unknown. */
    String remoteAddress();

    /**
     * The door's own view of the request, for what this interface does not tell: {@code HttpServletRequest} in a
     * servlet, Vert.x's {@code HttpServerRequest} or {@code RoutingContext} in a quarkus-rest resource or a route.
     *
     * @return empty when the door has no such type
     */
    <T> Optional<T> unwrap(Class<T> type);
}
