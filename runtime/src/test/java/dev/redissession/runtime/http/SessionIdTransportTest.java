package dev.redissession.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.redissession.SessionRequest;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.config.RedisSessionConfig.Cookie.SameSite;
import dev.redissession.runtime.config.RedisSessionConfig.Cookie.Secure;
import dev.redissession.runtime.config.RedisSessionConfig.Transport;

/** How the id is read from a request and written into an answer, per transport. */
class SessionIdTransportTest {

    static final String ID = "a".repeat(32);
    static final String OTHER = "b".repeat(32);

    /** The transport over the properties' defaults, with {@code overrides} (method name to value). */
    static SessionIdTransport transport(CookieDefaults deployment, Map<String, Object> overrides) {
        Map<String, Object> cookie = new java.util.HashMap<>(Map.of("name", Optional.empty(), "path", Optional.empty(),
                "domain", Optional.empty(), "httpOnly", true, "sameSite", SameSite.LAX, "secure", Secure.AUTO));
        Map<String, Object> root = new java.util.HashMap<>(Map.of("transport", Transport.COOKIE, "headerName",
                "X-Session-Id"));
        overrides.forEach((name, value) -> (cookie.containsKey(name) ? cookie : root).put(name, value));
        root.put("cookie", proxy(RedisSessionConfig.Cookie.class, cookie));
        return new SessionIdTransport(proxy(RedisSessionConfig.class, root), deployment);
    }

    static SessionIdTransport transport(CookieDefaults deployment) {
        return transport(deployment, Map.of());
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                }));
    }

    static SessionRequest request(String scheme, Map<String, List<String>> headers) {
        return new SessionRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String path() {
                return "/";
            }

            @Override
            public String header(String name) {
                List<String> values = headers(name);
                return values.isEmpty() ? null : values.get(0);
            }

            @Override
            public List<String> headers(String name) {
                return headers.getOrDefault(name, List.of());
            }

            @Override
            public String host() {
                return "localhost";
            }

            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public String remoteAddress() {
                return null;
            }

            @Override
            public <T> Optional<T> unwrap(Class<T> type) {
                return Optional.empty();
            }
        };
    }

    @Test
    void theCookieIsFoundAmongOthersQuotedOrNotAndAMalformedIdNamesNone() {
        SessionIdTransport cookies = transport(CookieDefaults.NONE);
        assertEquals(ID, cookies.requestedId(request("http", Map.of("Cookie", List.of("a=1; JSESSIONID=" + ID)))));
        assertEquals(ID, cookies.requestedId(request("http", Map.of("Cookie", List.of("x=2", "JSESSIONID=\"" + ID + "\"")))));
        assertNull(cookies.requestedId(request("http", Map.of("Cookie", List.of("JSESSIONID=not*an*id")))));
        assertNull(cookies.requestedId(request("http", Map.of("X-Session-Id", List.of(ID)))), "no header by default");
    }

    @Test
    void everySessionCookieIsACandidateInOrderAtMostThree() {
        SessionIdTransport cookies = transport(CookieDefaults.NONE);
        String third = "c".repeat(32);
        String fourth = "d".repeat(32);
        assertEquals(List.of(OTHER, ID, third), cookies.requestedIds(request("http", Map.of("Cookie", List.of(
                "JSESSIONID=" + OTHER + "; JSESSIONID=bad; JSESSIONID=" + ID, "JSESSIONID=" + ID + "; JSESSIONID="
                        + third + "; JSESSIONID=" + fourth)))));
    }

    @Test
    void theCookieHasTheSafeFlagsAndSecureFollowsTheScheme() {
        SessionIdTransport cookies = transport(CookieDefaults.NONE);
        assertEquals(List.of(new ResponseHeader("Set-Cookie", "JSESSIONID=" + ID + "; Path=/; HttpOnly; SameSite=Lax")),
                cookies.answer(request("http", Map.of()), ID));
        assertEquals("JSESSIONID=" + ID + "; Path=/; HttpOnly; SameSite=Lax; Secure",
                cookies.answer(request("https", Map.of()), ID).get(0).value());
        assertEquals("JSESSIONID=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                cookies.answer(request("http", Map.of()), null).get(0).value(), "an ended session clears the cookie");
    }

    @Test
    void aDeploymentDescriptorFillsWhatThePropertiesLeaveUnsetAndOnlyTightens() {
        SessionIdTransport cookies = transport(new CookieDefaults("SID", "/app", "example.com", false, true, 600),
                Map.of("sameSite", SameSite.STRICT));
        assertEquals("SID=" + ID + "; Path=/app; Domain=example.com; HttpOnly; SameSite=Strict; Max-Age=600; Secure",
                cookies.answer(request("http", Map.of()), ID).get(0).value());
        assertEquals(ID, cookies.requestedId(request("http", Map.of("Cookie", List.of("SID=" + ID)))));
    }

    @Test
    void aHostPrefixedCookieIsSecureOnPathSlashAndAWebXmlThatBreaksItsRulesIsRefused() {
        SessionIdTransport host = transport(CookieDefaults.NONE,
                Map.of("name", Optional.of("__Host-SID"), "secure", Secure.ALWAYS));
        assertEquals("__Host-SID=" + ID + "; Path=/; HttpOnly; SameSite=Lax; Secure",
                host.answer(request("http", Map.of()), ID).get(0).value());
        assertEquals(ID, host.requestedId(request("https", Map.of("Cookie", List.of("__Host-SID=" + ID)))));
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> transport(new CookieDefaults("__Host-SID", "/app", null, false, true, -1), Map.of()));
        assertEquals("The session cookie __Host-SID needs Path=/ (it is /app): browsers drop a __Host- cookie without "
                + "Secure, Path=/ and no Domain, so no session would stick", refused.getMessage());
    }

    @Test
    void theHeaderTransportReadsAndAnswersTheHeaderOnly() {
        SessionIdTransport header = transport(CookieDefaults.NONE, Map.of("transport", Transport.HEADER));
        assertNull(header.requestedId(request("http", Map.of("Cookie", List.of("JSESSIONID=" + ID)))));
        assertEquals(ID, header.requestedId(request("http", Map.of("X-Session-Id", List.of(ID)))));
        assertEquals(List.of(new ResponseHeader("X-Session-Id", ID)), header.answer(request("http", Map.of()), ID));
        assertEquals(List.of(new ResponseHeader("X-Session-Id", "")), header.answer(request("http", Map.of()), null));
    }

    @Test
    void cookieOrHeaderAnswersTheWayTheRequestCameAndBothWaysForAFirstRequest() {
        SessionIdTransport either = transport(CookieDefaults.NONE, Map.of("transport", Transport.COOKIE_OR_HEADER));
        SessionRequest viaHeader = request("http", Map.of("X-Session-Id", List.of(ID)));
        SessionRequest viaCookie = request("http", Map.of("Cookie", List.of("JSESSIONID=" + ID)));
        SessionRequest both = request("http", Map.of("X-Session-Id", List.of(ID), "Cookie", List.of("JSESSIONID=" + OTHER)));
        assertEquals(ID, either.requestedId(both), "the header first");
        assertEquals(List.of("X-Session-Id"), names(either.answer(viaHeader, OTHER)));
        assertEquals(List.of("Set-Cookie"), names(either.answer(viaCookie, OTHER)));
        assertEquals(List.of("Set-Cookie", "X-Session-Id"), names(either.answer(request("http", Map.of()), OTHER)));
    }

    private static List<String> names(List<ResponseHeader> headers) {
        return headers.stream().map(ResponseHeader::name).toList();
    }
}
