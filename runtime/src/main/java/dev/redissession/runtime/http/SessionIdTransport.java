package dev.redissession.runtime.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.redissession.SessionRequest;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.config.RedisSessionConfig.Cookie.Secure;
import dev.redissession.runtime.config.RedisSessionConfig.Transport;
import dev.redissession.runtime.keys.SessionIds;

/**
 * How the session id travels, for every door: read from the request's cookie or header
 * ({@code quarkus.redis-session.transport}), answered in a {@code Set-Cookie} with HttpOnly, SameSite and Secure as
 * {@code quarkus.redis-session.cookie.*} says, or in the id header. Never in a URL: ids in URLs leak through Referer
 * headers and access logs. A deployment descriptor may make the cookie stricter ({@code secure}, {@code http-only}),
 * never looser.
 */
public final class SessionIdTransport {

    private final Transport transport;
    private final String headerName;
    private final String cookieName;
    /** Every attribute after the value but Secure, which depends on the request: {@code ; Path=/; HttpOnly...}. */
    private final String cookieAttributes;
    private final Secure secure;
    /** The deployment's cookie Max-Age in seconds; 0 or less: a browser-session cookie. */
    private final int maxAge;

    public SessionIdTransport(RedisSessionConfig config, CookieDefaults deployment) {
        RedisSessionConfig.Cookie cookie = config.cookie();
        this.transport = config.transport();
        this.headerName = config.headerName();
        this.cookieName = cookie.name().orElse(nonEmpty(deployment.name(), "JSESSIONID"));
        this.secure = deployment.secure() && cookie.secure() == Secure.AUTO ? Secure.ALWAYS : cookie.secure();
        StringBuilder attributes = new StringBuilder("; Path=").append(cookie.path().orElse(nonEmpty(deployment.path(), "/")));
        Optional.ofNullable(cookie.domain().orElse(deployment.domain()))
                .ifPresent(d -> attributes.append("; Domain=").append(d));
        if (cookie.httpOnly() || deployment.httpOnly()) {
            attributes.append("; HttpOnly");
        }
        attributes.append("; SameSite=").append(cookie.sameSite().attribute());
        this.cookieAttributes = attributes.toString();
        this.maxAge = deployment.maxAge();
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The name of the session cookie. */
    public String cookieName() {
        return cookieName;
    }

    /**
     * The id the request carries, if it has the form of one (anything else names no session and costs no Redis
     * command): its id header, else its session cookie, as the transport accepts them.
     */
    public String requestedId(SessionRequest request) {
        String id = fromHeader(request);
        return id != null ? id : fromCookie(request);
    }

    private String fromHeader(SessionRequest request) {
        if (transport == Transport.COOKIE) {
            return null;
        }
        String id = request.header(headerName);
        return SessionIds.isValid(id) ? id : null;
    }

    private String fromCookie(SessionRequest request) {
        if (transport == Transport.HEADER) {
            return null;
        }
        for (String header : request.headers("Cookie")) {
            String id = cookieValue(header, cookieName);
            if (id != null) {
                return SessionIds.isValid(id) ? id : null;
            }
        }
        return null;
    }

    /** The value of the first cookie named {@code name} in one {@code Cookie} header, {@code null} for none. */
    static String cookieValue(String header, String name) {
        for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                String value = pair.substring(equals + 1).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1)
                        : value;
            }
        }
        return null;
    }

    /**
     * The headers that give the client its session id after a save, or tell it to drop the one it has.
     *
     * @param id the session's id, {@code null} when the session ended
     */
    public List<ResponseHeader> answer(SessionRequest request, String id) {
        boolean viaHeader = transport == Transport.HEADER;
        boolean viaCookie = transport == Transport.COOKIE;
        if (transport == Transport.COOKIE_OR_HEADER) {
            boolean cameWithHeader = request.header(headerName) != null;
            boolean cameWithCookie = fromCookie(request) != null;
            // A first request tells neither: answer in both, so either kind of client learns its id.
            viaHeader = cameWithHeader || !cameWithCookie;
            viaCookie = cameWithCookie || !cameWithHeader;
        }
        List<ResponseHeader> headers = new ArrayList<>(2);
        if (viaCookie) {
            headers.add(new ResponseHeader("Set-Cookie", cookie(request, id)));
        }
        if (viaHeader) {
            headers.add(new ResponseHeader(headerName, id == null ? "" : id));
        }
        return headers;
    }

    private String cookie(SessionRequest request, String id) {
        StringBuilder cookie = new StringBuilder(cookieName).append('=').append(id == null ? "" : id)
                .append(cookieAttributes);
        if (id == null) {
            cookie.append("; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        } else if (maxAge > 0) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        if (switch (secure) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> "https".equalsIgnoreCase(request.scheme());
        }) {
            cookie.append("; Secure");
        }
        return cookie.toString();
    }
}
