package dev.redissession.runtime.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.redissession.SessionRequest;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.config.RedisSessionConfig.Cookie.Secure;
import dev.redissession.runtime.config.RedisSessionConfig.Transport;
import dev.redissession.runtime.config.SessionConfigCheck;
import dev.redissession.runtime.keys.SessionIds;

/**
 * How the session id travels, for every door: read from the request's cookie or header
 * ({@code quarkus.redis-session.transport}), answered in a {@code Set-Cookie} with HttpOnly, SameSite and Secure as
 * {@code quarkus.redis-session.cookie.*} says, or in the id header. Never in a URL: ids in URLs leak through Referer
 * headers and access logs. A deployment descriptor may make the cookie stricter ({@code secure}, {@code http-only}),
 * never looser.
 */
public final class SessionIdTransport {

    /** How many of a request's ids are tried at most (a {@code GETEX} each), so a flood of cookies costs no more. */
    static final int MAX_CANDIDATES = 3;

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
        // The properties are checked at startup; a name, path or domain from web.xml only now.
        if (transport != Transport.HEADER) {
            SessionConfigCheck.cookiePrefixProblem(cookieName, cookie.path().orElse(nonEmpty(deployment.path(), "/")),
                    cookie.domain().orElse(deployment.domain()), secure).ifPresent(problem -> {
                        throw new IllegalStateException(problem);
                    });
        }
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /**
     * The ids the request carries that have the form of one (anything else names no session and costs no Redis
     * command), in the order to try them: its id header, then every session cookie in the order sent. A browser
     * sends several cookies of one name when a sibling subdomain or a longer path set one too; the first whose session
     * exists is the request's, so a stale or planted one cannot make a new session replace the user's. At most
     * {@value #MAX_CANDIDATES}.
     */
    public List<String> requestedIds(SessionRequest request) {
        List<String> ids = new ArrayList<>(1);
        if (transport != Transport.COOKIE) {
            add(ids, request.header(headerName));
        }
        if (transport != Transport.HEADER) {
            cookieValues(request).forEach(id -> add(ids, id));
        }
        return ids;
    }

    /** The values of every session cookie the request sent, in order. */
    private List<String> cookieValues(SessionRequest request) {
        List<String> values = new ArrayList<>(1);
        for (String header : request.headers("Cookie")) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(cookieName)) {
                    values.add(unquote(pair.substring(equals + 1).trim()));
                }
            }
        }
        return values;
    }

    private static void add(List<String> ids, String id) {
        if (ids.size() < MAX_CANDIDATES && SessionIds.isValid(id) && !ids.contains(id)) {
            ids.add(id);
        }
    }

    /** The first of {@link #requestedIds}, {@code null} for none: what Undertow is told the request asked for. */
    public String requestedId(SessionRequest request) {
        List<String> ids = requestedIds(request);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
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
            boolean cameWithCookie = !cookieValues(request).isEmpty();
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
