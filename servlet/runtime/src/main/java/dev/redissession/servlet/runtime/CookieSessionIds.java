package dev.redissession.servlet.runtime;

import jakarta.servlet.SessionCookieConfig;

import dev.redissession.runtime.http.CookieDefaults;
import dev.redissession.runtime.http.SessionIdTransport;
import dev.redissession.runtime.session.RequestSessionFactory;
import io.quarkus.arc.Arc;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.SessionConfig;

/**
 * Undertow's view of how the session id travels, over the core's {@link SessionIdTransport} with the deployment's
 * session cookie config ({@code web.xml} {@code <cookie-config>}) for what the properties leave unset. It only
 * reads: the id a response carries is decided once, after the save ({@code RequestSession.commit}), so Undertow's
 * calls to set or clear it do nothing.
 */
final class CookieSessionIds implements SessionConfig {

    private final SessionCookieConfig servlet;
    /** Resolved on first use: Undertow builds the deployment at static init, before run-time config exists. */
    private volatile SessionIdTransport transport;

    CookieSessionIds(SessionCookieConfig servlet) {
        this.servlet = servlet;
    }

    SessionIdTransport transport() {
        SessionIdTransport resolved = transport;
        if (resolved == null) {
            resolved = Arc.container().instance(RequestSessionFactory.class).get().transport(new CookieDefaults(
                    servlet.getName(), servlet.getPath(), servlet.getDomain(), servlet.isHttpOnly(), servlet.isSecure(),
                    servlet.getMaxAge()));
            transport = resolved;
        }
        return resolved;
    }

    /** The commit writes the id once the session is saved. */
    @Override
    public void setSessionId(HttpServerExchange exchange, String sessionId) {
    }

    /**
     * Undertow calls this before it creates a session for a request whose id named none; the commit sends the new
     * id, or nothing when the request did not save one.
     */
    @Override
    public void clearSession(HttpServerExchange exchange, String sessionId) {
    }

    /** The id the request carries ({@code quarkus.redis-session.transport}); a {@code ;jsessionid=} is never read. */
    @Override
    public String findSessionId(HttpServerExchange exchange) {
        return transport().requestedId(new ExchangeRequest(exchange));
    }

    @Override
    public SessionCookieSource sessionCookieSource(HttpServerExchange exchange) {
        return findSessionId(exchange) == null ? SessionCookieSource.NONE : SessionCookieSource.COOKIE;
    }

    /** {@code encodeURL} never adds the id. */
    @Override
    public String rewriteUrl(String originalUrl, String sessionId) {
        return originalUrl;
    }
}
