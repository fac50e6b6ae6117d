package dev.redissession.runtime.undertow;

import java.util.Optional;

import jakarta.servlet.SessionCookieConfig;

import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.config.RedisSessionConfig.Cookie.Secure;
import io.quarkus.arc.Arc;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.server.session.SessionConfig;
import io.undertow.util.AttachmentKey;

/**
 * How the session id travels: in a cookie only, never in a URL (ids in URLs leak through Referer headers and access
 * logs), with HttpOnly, SameSite and Secure set as {@code quarkus.redis-session.cookie.*} says. Name, path and domain
 * come from those properties, else from the deployment's session cookie config ({@code web.xml}
 * {@code <cookie-config>}); {@code web.xml} may make the cookie stricter ({@code secure}, {@code http-only}), never
 * looser.
 */
final class CookieSessionIds implements SessionConfig {

    /** The name of the session cookie this response sets, if it sets one. */
    private static final AttachmentKey<String> SENT = AttachmentKey.create(String.class);

    private final SessionCookieConfig servlet;
    /** Resolved on first use: Undertow builds the deployment at static init, before run-time config exists. */
    private volatile Settings settings;

    CookieSessionIds(SessionCookieConfig servlet) {
        this.servlet = servlet;
    }

    private record Settings(String name, String path, String domain, boolean httpOnly, String sameSite, Secure secure,
            int maxAge) {
    }

    private Settings settings() {
        Settings resolved = settings;
        if (resolved == null) {
            RedisSessionConfig.Cookie cookie = Arc.container().instance(RedisSessionConfig.class).get().cookie();
            Secure secure = servlet.isSecure() && cookie.secure() == Secure.AUTO ? Secure.ALWAYS : cookie.secure();
            resolved = new Settings(cookie.name().orElse(nonEmpty(servlet.getName(), "JSESSIONID")),
                    cookie.path().orElse(nonEmpty(servlet.getPath(), "/")),
                    cookie.domain().or(() -> Optional.ofNullable(servlet.getDomain())).orElse(null),
                    cookie.httpOnly() || servlet.isHttpOnly(), cookie.sameSite().attribute(), secure,
                    servlet.getMaxAge());
            settings = resolved;
        }
        return resolved;
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public void setSessionId(HttpServerExchange exchange, String sessionId) {
        Cookie cookie = cookie(exchange, sessionId);
        Settings settings = settings();
        if (settings.maxAge() > 0) {
            cookie.setMaxAge(settings.maxAge());
        }
        send(exchange, cookie);
    }

    @Override
    public void clearSession(HttpServerExchange exchange, String sessionId) {
        send(exchange, cookie(exchange, "").setMaxAge(0));
    }

    private static void send(HttpServerExchange exchange, Cookie cookie) {
        exchange.setResponseCookie(cookie);
        exchange.putAttachment(SENT, cookie.getName());
    }

    /**
     * Takes back the session cookie this response was about to set, so it sets none at all. Works on the exchange:
     * Quarkus may hand the session manager its own wrapper around this config.
     */
    static void forgetResponseCookie(HttpServerExchange exchange) {
        String name = exchange.removeAttachment(SENT);
        if (name != null) {
            exchange.getResponseCookies().remove(name);
        }
    }

    private Cookie cookie(HttpServerExchange exchange, String value) {
        Settings settings = settings();
        Cookie cookie = new CookieImpl(settings.name(), value).setPath(settings.path()).setHttpOnly(settings.httpOnly())
                .setSameSiteMode(settings.sameSite()).setSecure(switch (settings.secure()) {
                    case ALWAYS -> true;
                    case NEVER -> false;
                    case AUTO -> "https".equalsIgnoreCase(exchange.getRequestScheme());
                });
        if (settings.domain() != null) {
            cookie.setDomain(settings.domain());
        }
        return cookie;
    }

    /** The id the request's cookie carries; a {@code ;jsessionid=} path parameter is never read. */
    @Override
    public String findSessionId(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookies().get(settings().name());
        return cookie == null ? null : cookie.getValue();
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
