package dev.redissession.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.redissession.runtime.config.RedisSessionConfig.Cookie.Secure;
import dev.redissession.runtime.store.SessionClientName;

/** The hosts rule: in prod no Dev Services fill in the session client's address, so its absence stops the start. */
class SessionConfigCheckTest {

    @Test
    void defaultClientWithoutHostsIsNamedWithTheWayOut() {
        String problem = SessionConfigCheck.hostsProblem(SessionClientName.DEFAULT, name -> Optional.empty()).orElseThrow();
        assertTrue(problem.startsWith("quarkus.redis.hosts is not set: "), problem);
        assertTrue(problem.contains("quarkus.redis.hosts=redis://redis:6379"), problem);
    }

    @Test
    void namedClientIsCheckedUnderItsOwnName() {
        Map<String, String> config = Map.of("quarkus.redis.hosts", "redis://elsewhere:6379");
        String problem = SessionConfigCheck.hostsProblem("sessions", name -> Optional.ofNullable(config.get(name)))
                .orElseThrow();
        assertTrue(problem.startsWith("quarkus.redis.sessions.hosts is not set"), problem);
    }

    @Test
    void hostsOrAHostsProviderSatisfyIt() {
        assertEquals(Optional.empty(), SessionConfigCheck.hostsProblem(SessionClientName.DEFAULT,
                name -> name.equals("quarkus.redis.hosts") ? Optional.of("redis://r:6379") : Optional.empty()));
        assertEquals(Optional.empty(), SessionConfigCheck.hostsProblem("sessions",
                name -> name.equals("quarkus.redis.sessions.hosts-provider-name") ? Optional.of("p") : Optional.empty()));
    }

    @Test
    void theStoresConnectionsMustLeaveOneOfThePoolFree() {
        RedisSessionConfig two = (RedisSessionConfig) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { RedisSessionConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("connections")) {
                        return 2;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        assertEquals(Optional.empty(), SessionConfigCheck.poolProblem(two, SessionClientName.DEFAULT, name -> Optional.empty()),
                "2 of the default pool of 6");
        String problem = SessionConfigCheck.poolProblem(two, SessionClientName.DEFAULT,
                name -> name.equals("quarkus.redis.max-pool-size") ? Optional.of("2") : Optional.empty()).orElseThrow();
        assertTrue(problem.contains("quarkus.redis-session.connections='2'") && problem.contains("max-pool-size (2)"),
                problem);
    }

    @Test
    void aHostPrefixedCookieMustBeSecureOnPathSlashWithoutDomain() {
        assertEquals(Optional.empty(), SessionConfigCheck.cookiePrefixProblem("__Host-SID", "/", null, Secure.ALWAYS));
        assertEquals(Optional.empty(), SessionConfigCheck.cookiePrefixProblem("SID", "/app", "example.com", Secure.AUTO),
                "no prefix, no rule");
        String problem = SessionConfigCheck.cookiePrefixProblem("__Host-SID", "/app", "example.com", Secure.AUTO)
                .orElseThrow();
        assertTrue(problem.contains("quarkus.redis-session.cookie.secure=always (it is auto, which leaves Secure off "
                + "on plain-HTTP requests)") && problem.contains("Path=/ (it is /app)")
                && problem.contains("no Domain (it is example.com)"), problem);
        assertEquals(Optional.empty(), SessionConfigCheck.cookiePrefixProblem("__Secure-SID", "/app", "example.com",
                Secure.ALWAYS), "__Secure- only needs Secure");
        assertTrue(SessionConfigCheck.cookiePrefixProblem("__Secure-SID", "/", null, Secure.NEVER).orElseThrow()
                .contains("it is never"));
    }
}
