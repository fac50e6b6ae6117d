package dev.redissession.runtime.store;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jboss.logging.Logger;

import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * The one guard around every Redis call of the session store and the purge: a deadline
 * ({@code quarkus.redis-session.timeout}), one classification of failures into
 * {@link SessionStoreUnavailableException} with a message that is true for its case, and a bounded log.
 */
public final class RedisCalls {

    private static final Logger LOG = Logger.getLogger(RedisCalls.class);
    /** Error replies of a Redis that is busy, changing roles or moving slots: retrying soon may succeed. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
            "MASTERDOWN", "READONLY", "MOVED", "ASK");

    /** How the client prefixes the error reply of the first command of a pipeline. */
    private static final String BATCH_ERROR = "ERR [0] ";

    /** What a failed call means for the request's session. */
    public enum Effect {
        /** A read or expiry: nothing was changed. */
        READ,
        /** A write: without an answer its outcome is unknown. */
        WRITE
    }

    private final Duration timeout;
    private final String address;
    /** Whether the calls serve requests' sessions, so a failure message says what became of the session. */
    private final boolean forSessions;
    private final FailureLog failures = new FailureLog(LOG::error, Duration.ofSeconds(10), System::nanoTime);
    /**
     * Times the blocking calls (the session store's) and counts every failure ({@link SessionMetrics#NONE} for calls
     * that are not sessions').
     */
    private final SessionMetrics metrics;

    /**
     * @param forSessions {@code true} for the session store (messages say what became of the request's session),
     *        {@code false} for the purge (its job state says that)
     */
    public RedisCalls(Duration timeout, String address, boolean forSessions, SessionMetrics metrics) {
        this.timeout = timeout;
        this.address = address;
        this.forSessions = forSessions;
        this.metrics = metrics;
    }

    /**
     * The call with the deadline and the failure classification. Failures for which {@code passThrough} holds are
     * left as they are (e.g. a corrupt value the caller handles itself).
     */
    public <T> Uni<T> guard(Uni<T> call, String command, String key, Effect effect,
            java.util.function.Predicate<Throwable> passThrough) {
        return call.ifNoItem().after(timeout).on(Deadlines.SCHEDULER).failWith(() -> new NoAnswerException(timeout))
                .onFailure(failure -> !passThrough.test(failure))
                .transform(failure -> unavailable(command, key, effect, failure));
    }

    public <T> Uni<T> guard(Uni<T> call, String command, String key, Effect effect) {
        return guard(call, command, key, effect, failure -> false);
    }

    /**
     * The blocking form of {@link #guard} for servlet threads: the calling thread waits for the answer at most the
     * deadline itself, so a command costs no timer (no shared scheduler lock taken twice per command by every
     * request thread). On a timeout the call is cancelled, as with the timer.
     */
    public <T> T await(Uni<T> call, String command, String key, Effect effect,
            java.util.function.Predicate<Throwable> passThrough) {
        long started = System.nanoTime();
        Throwable failure;
        try {
            return call.await().atMost(timeout);
        } catch (TimeoutException e) {
            failure = new NoAnswerException(timeout);
        } catch (CompletionException e) {
            // Mutiny wraps what is not a RuntimeException, such as Redis error replies (ErrorType).
            failure = e.getCause() != null ? e.getCause() : e;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            metrics.command(command.toUpperCase(), System.nanoTime() - started);
        }
        if (passThrough.test(failure) && failure instanceof RuntimeException passed) {
            throw passed;
        }
        throw unavailable(command, key, effect, failure);
    }

    public <T> T await(Uni<T> call, String command, String key, Effect effect) {
        return await(call, command, key, effect, failure -> false);
    }

    /**
     * Whether the failure is a Redis error reply with {@code code}, e.g. {@code NOSCRIPT}: the reply to a command, or
     * to the first command of a pipeline, which the client reports as {@code ERR [0] <reply>}.
     */
    public static boolean isError(Throwable failure, String code) {
        return failure instanceof ErrorType error && (error.is(code)
                || (error.getMessage() + " ").startsWith(BATCH_ERROR + code + " "));
    }

    private SessionStoreUnavailableException unavailable(String command, String key, Effect effect,
            Throwable failure) {
        if (failure instanceof SessionStoreUnavailableException already) {
            return already;
        }
        String name = command.toUpperCase();
        failures.failed(name, "Redis session store at " + address + " failed " + name
                + (key == null ? "" : " on " + SessionKeys.redact(key)) + ": "
                + java.util.Objects.requireNonNullElse(failure.getMessage(), failure.getClass().getName()));
        boolean refused = failure instanceof ErrorType && !isConnectionLoss(failure);
        boolean retryable = !refused || TRANSIENT_ERRORS.stream().anyMatch(code -> isError(failure, code));
        metrics.error(retryable ? FailureKind.STORE_UNAVAILABLE : FailureKind.STORE_REFUSED, null);
        // The client learns what went wrong, not where Redis runs: the address is in the log line only.
        String message = "The session store is unavailable (" + name + ": " + reason(failure) + ")."
                + (forSessions ? " " + outcome(effect, failure) : "") + (retryable ? " Retry in a moment." : "");
        return forSessions && effect == Effect.WRITE && isUnknownOutcome(failure)
                ? new OutcomeUnknownException(message, failure)
                : new SessionStoreUnavailableException(message, failure, retryable);
    }

    /**
     * A write that went unanswered but is known not to have been applied (a check on the same connection, which Redis
     * answers in order, found it had not).
     */
    public SessionStoreUnavailableException notApplied(String command, OutcomeUnknownException unknown) {
        return new SessionStoreUnavailableException("The session store is unavailable (" + command.toUpperCase()
                + ": " + reason(unknown.getCause()) + "). This request's session changes were not saved. Retry in a "
                + "moment.", unknown.getCause(), true);
    }

    /**
     * A write the master applied but fewer than {@code wanted} replicas acknowledged within {@code timeout}: logged,
     * and the failure for the request.
     */
    public ReplicaAckException replicasBehind(String command, String key, long acks, int wanted, Duration timeout) {
        String name = command.toUpperCase();
        String what = acks + " of " + wanted + " replicas acknowledged the " + name + " within " + timeout.toMillis()
                + " ms";
        failures.failed(name + " WAIT", "Redis session store at " + address + ": " + what + " on "
                + SessionKeys.redact(key) + "; a failover of its master now would lose the write");
        return new ReplicaAckException("The session store could not confirm this request's session changes ("
                + what + "). They are saved on the Redis master but a failover could still lose them. Retry in a "
                + "moment.");
    }

    /**
     * A session write applied on the master but acknowledged by fewer replicas than
     * {@code quarkus.redis-session.replica-acks} in time (503 {@code replica_ack_timeout}).
     */
    public static final class ReplicaAckException extends SessionStoreUnavailableException {
        ReplicaAckException(String message) {
            super(message, null, true);
        }

        @Override
        public String errorCode() {
            return FailureKind.REPLICA_ACK_TIMEOUT.error();
        }
    }

    /** The command may have reached Redis and be applied: no answer, or the connection broke after sending. */
    private static boolean isUnknownOutcome(Throwable failure) {
        return isConnectionLoss(failure) || !(failure instanceof ErrorType || failure instanceof ConnectException);
    }

    /**
     * The client's report that the connection closed while the command waited for its answer: an error "reply" it
     * makes up itself ({@code CONNECTION_CLOSED}), not one of Redis.
     */
    public static boolean isConnectionLoss(Throwable failure) {
        return isError(failure, "CONNECTION_CLOSED");
    }

    /** A write whose outcome is unknown: Redis may have applied it, or may still. */
    public static final class OutcomeUnknownException extends SessionStoreUnavailableException {
        OutcomeUnknownException(String message, Throwable cause) {
            super(message, cause, true);
        }
    }

    /** What became of the request's session; true for each case. */
    private static String outcome(Effect effect, Throwable failure) {
        if (effect == Effect.READ) {
            return "Nothing was changed.";
        }
        if (!isUnknownOutcome(failure)) {
            return "This request's session changes were not saved.";
        }
        return "Whether this request's session changes were saved is unknown: Redis may still apply them, so check "
                + "before repeating a change that must not happen twice.";
    }

    private static String reason(Throwable failure) {
        if (failure instanceof ErrorType redisError && !isConnectionLoss(failure)) {
            return "Redis answered " + redisError.getMessage();
        }
        if (failure instanceof ConnectException) {
            return "Redis refused the connection";
        }
        return failure instanceof NoAnswerException ? failure.getMessage() : "the connection to Redis failed";
    }

    /**
     * The timers of {@link #guard}'s deadlines. Not Mutiny's default scheduler: it keeps a cancelled timer queued until
     * its deadline and then hands it to the application's worker pool, so every answered command woke two threads a
     * timeout later; here an answered command's timer is removed at once.
     */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "redis-session-deadlines");
            thread.setDaemon(true);
            return thread;
        });

        static {
            SCHEDULER.setRemoveOnCancelPolicy(true);
        }
    }

    /** No answer within {@code quarkus.redis-session.timeout}. */
    static final class NoAnswerException extends java.io.IOException {
        NoAnswerException(Duration timeout) {
            super("no answer within " + timeout.toMillis() + " ms");
        }
    }
}
