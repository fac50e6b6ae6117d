package dev.redissession.runtime.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redissession.InvalidTenantException;
import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.SessionTooLargeException;
import dev.redissession.TooManySessionsException;
import io.smallrye.mutiny.TimeoutException;

/** Each failure's one set of names, and the answers built from them, without Redis. */
class FailureKindTest {

    /** The statuses and codes clients and the docs rely on. */
    @Test
    void clientVisibleNamesStayAsDocumented() {
        assertAnswer(new InvalidTenantException("a b", "no spaces"), 400, "invalid_tenant", false);
        assertAnswer(new PurgeNotFoundException("j"), 404, "unknown_purge", false);
        assertAnswer(new SessionGoneException("gone"), 409, "session_gone", false);
        assertAnswer(new PurgeAlreadyRunningException("acme", "j"), 409, "purge_running", false);
        assertAnswer(new SessionTooLargeException("big"), 413, "session_too_large", false);
        SessionFailure limited = SessionFailure.of(new TooManySessionsException("many", 42));
        assertEquals(429, limited.status());
        assertEquals("too_many_sessions", limited.error());
        assertEquals(Map.of("Retry-After", "42"), limited.headers(), "its own Retry-After");
        assertAnswer(new SessionStoreUnavailableException("down", null), 503, "session_store_unavailable", true);
        assertAnswer(new SessionStoreUnavailableException("NOPERM", null, false), 503, "session_store_unavailable",
                false);
        assertAnswer(new TimeoutException(), 503, "session_store_unavailable", true);
        assertAnswer(unavailable("replica_ack_timeout", true), 503, "replica_ack_timeout", true);
        assertAnswer(unavailable("cluster_changed", true), 503, "cluster_changed", true);
        assertAnswer(unavailable("cluster_changed", false), 503, "cluster_changed", false);
    }

    @Test
    void aSubclassNamesItsKindByErrorCodeAndTransience() {
        assertEquals(FailureKind.STORE_REFUSED, FailureKind.of(new SessionStoreUnavailableException("x", null, false)));
        assertEquals(FailureKind.CLUSTER_CHANGED, FailureKind.of(unavailable("cluster_changed", true)));
        assertEquals(FailureKind.WRONG_TOPOLOGY, FailureKind.of(unavailable("cluster_changed", false)));
        assertEquals(FailureKind.STORE_UNAVAILABLE, FailureKind.of(unavailable("not_listed", true)));
    }

    /** Tags on redis.session.errors, asserted by MetricsTest and HealthTest and listed in docs/operations.md. */
    @Test
    void metricTags() {
        assertEquals("unavailable", FailureKind.STORE_UNAVAILABLE.metricTag());
        assertEquals("unavailable", FailureKind.STORE_REFUSED.metricTag());
        assertEquals("gone", FailureKind.SESSION_GONE.metricTag());
        assertEquals("too_large", FailureKind.SESSION_TOO_LARGE.metricTag());
        assertEquals("rate_limited", FailureKind.TOO_MANY_SESSIONS.metricTag());
        assertEquals("corrupt", FailureKind.CORRUPT.metricTag());
        assertEquals("not_saved", FailureKind.NOT_SAVED.metricTag());
        assertNull(FailureKind.REPLICA_ACK_TIMEOUT.metricTag());
    }

    @Test
    void healthReasonsPrefixTheDetail() {
        assertEquals("unreachable: redis://h:1: refused", FailureKind.STORE_UNAVAILABLE.reason("redis://h:1: refused"));
        assertEquals("wrong topology: a replica", FailureKind.WRONG_TOPOLOGY.reason("a replica"));
        assertThrows(IllegalStateException.class, () -> FailureKind.SESSION_GONE.reason("x"));
    }

    @Test
    void theAnswerIsFoundInACauseAndCarriesTheRunningJob() {
        SessionFailure failure = SessionFailure.of(new RuntimeException(new PurgeAlreadyRunningException("acme", "j1")));
        assertEquals(FailureKind.PURGE_RUNNING, failure.kind());
        assertEquals("j1", failure.body().get("job_id"));
        assertNull(SessionFailure.of(new IllegalStateException("not the store's")));
    }

    @Test
    void storeMessagesLoseAddresses() {
        SessionFailure failure = SessionFailure.of(new SessionStoreUnavailableException("failed on 10.0.0.1:6379", null));
        assertEquals("failed on <address>", failure.message());
    }

    private static void assertAnswer(Throwable failure, int status, String error, boolean retryAfter) {
        SessionFailure answer = SessionFailure.of(failure);
        assertEquals(status, answer.status(), error);
        assertEquals(error, answer.body().get("error"));
        assertEquals(retryAfter ? Map.of("Retry-After", "1") : Map.of(), answer.headers(), error);
    }

    private static SessionStoreUnavailableException unavailable(String errorCode, boolean transientFailure) {
        return new SessionStoreUnavailableException("x", null, transientFailure) {
            @Override
            public String errorCode() {
                return errorCode;
            }
        };
    }
}
