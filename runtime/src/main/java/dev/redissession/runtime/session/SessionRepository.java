package dev.redissession.runtime.session;

import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redissession.AttributeConflictException;
import dev.redissession.SessionEnded.Reason;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.TooManySessionsException;
import dev.redissession.runtime.codec.CorruptSessionException;
import dev.redissession.runtime.codec.SessionCodec;
import dev.redissession.runtime.codec.SessionDocument;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.keys.SessionIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.metrics.SessionMetrics;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.RedisSessionStore.Indexed;
import dev.redissession.runtime.store.RedisSessionStore.WriteResult;
import dev.redissession.runtime.store.SessionRedis;

/**
 * Where a session's lifecycle is decided: loads, creates, saves (compare-and-set, merge on conflict, retry) and
 * deletes sessions through {@link RedisSessionStore}, and decides when one has expired. Knows nothing of servlets.
 */
@Singleton
public class SessionRepository {

    private static final Logger LOG = Logger.getLogger(SessionRepository.class);
    /** How many ids a new session tries on a cluster whose slots partly fail (see {@link #createInAnySlot}). */
    private static final int MAX_CREATE_ATTEMPTS = 16;

    @Inject
    RedisSessionStore store;
    @Inject
    SessionCodec codec;
    @Inject
    RedisSessionConfig config;
    @Inject
    SessionRedis redis;
    @Inject
    SessionMetrics metrics;
    @Inject
    DeploymentSessionTimeout deploymentTimeout;
    /** Every time and deadline below is Redis's, so replicas with skewed clocks agree on them. */
    @Inject
    RedisClock clock;
    @Inject
    SessionEnds ends;

    private SessionKeys keys;
    private SessionTimeouts timeouts;
    private SessionLimits limits;
    /** {@code null} without {@code anonymous.creations-per-minute}. */
    private CreationRateLimit anonymousCreations;

    @PostConstruct
    void init() {
        keys = new SessionKeys(config.keyPrefix(), redis.isCluster());
        // web.xml's <session-timeout> overrides the property (SessionConfigRecorder warns when both are set).
        timeouts = new SessionTimeouts(deploymentTimeout.idleTimeout().orElse(config.idleTimeout()), config.maxLifetime(),
                config.anonymous().idleTimeout());
        limits = new SessionLimits(config.maxSize().asLongValue(), config.maxAttributes(),
                config.anonymous().maxSize().asLongValue());
        anonymousCreations = config.anonymous().creationsPerMinute()
                .map(perMinute -> new CreationRateLimit(perMinute, System::nanoTime)).orElse(null);
    }

    /**
     * The session stored under the tenant and id, its expiry slid by this read unless the request is
     * {@code passive} (then its TTL stays as it was, and nothing of it can be written); {@code null} when there is
     * none, it expired, or its value cannot be read (logged; the key is left untouched).
     */
    public SessionState load(String tenant, String id, boolean passive) {
        String key = keys.key(tenant, id);
        long defaultTtl = timeouts.defaultTtlMillis();
        byte[] raw;
        SessionDocument document;
        try {
            raw = passive ? store.peek(key) : store.load(key, defaultTtl);
            if (raw == null) {
                return null;
            }
            document = parse(raw);
        } catch (CorruptSessionException e) {
            metrics.error(FailureKind.CORRUPT, tenant);
            LOG.errorf("Session key %s holds a value this application cannot read: %s. The request is served "
                    + "without a session; the key is left untouched for inspection (reads still slide its TTL: "
                    + "delete it to end it).", SessionKeys.redact(key), e.getMessage());
            return null;
        }
        Instant now = clock.now();
        // GETEX slid the TTL before the value said whether the session is anonymous: its shorter one comes with its
        // writes (creation, changes, touches) only, or every read of one would cost a PEXPIRE more.
        long ttl = timeouts.ttlMillis(document.createdAt(now), document.maxInactiveInterval(), false, now);
        if (ttl <= 0) {
            // Two replicas may find it expired at once: the one whose script removed it announces the end.
            if (store.end(key, indexed(tenant, id, null)) != RedisSessionStore.Ended.NOTHING) {
                expired(tenant, id, document.userId());
            }
            return null;
        }
        if (ttl != defaultTtl && !passive) {
            // Own idle timeout, or close to the absolute deadline: GETEX could not know it before reading.
            store.expire(key, ttl);
        }
        return new SessionState(codec, limits, tenant, id, id, document, raw, now, passive, null);
    }

    /**
     * A new session with a fresh id, created now (its {@code created_at} for good); it reaches Redis when it is first
     * saved.
     *
     * @param clientAddress the creating client's address ({@code null}: unknown), what
     *        {@code anonymous.creations-per-minute} counts
     */
    public SessionState create(String tenant, String clientAddress) {
        Instant now = clock.now();
        return new SessionState(codec, limits, tenant, SessionIds.generate(), null, SessionDocument.create(now), null,
                now, false, clientAddress);
    }

    /**
     * Gives the session a new id, written at the next save. On a cluster a stored session's new id lands in the same
     * slot as its key, so one script can move it atomically.
     */
    public String rotate(SessionState session) {
        String next = session.storedId() == null ? SessionIds.generate()
                : keys.rotatedId(session.tenant(), session.storedId());
        session.rotateTo(next);
        metrics.rotated(session.tenant());
        return next;
    }

    /**
     * Ends the session: nothing of it is written any more, and its key is deleted if it was ever stored. The end is
     * announced ({@link SessionEnds}, reason {@code invalidated}) when this call deleted the key: a session that had
     * already expired or been ended elsewhere was announced there.
     */
    public void invalidate(SessionState session) {
        session.markInvalid();
        if (session.storedId() == null) {
            return;
        }
        switch (store.end(storedKey(session), indexed(session.tenant(), session.storedId(), null))) {
            case ENDED -> {
                metrics.invalidated(session.tenant());
                ends.ended(session.tenant(), session.storedId(), session.storedUserId(), Reason.INVALIDATED);
            }
            // Its TTL ran out before the logout, and the sweep has not announced it: its end was the expiry.
            case EXPIRED -> expired(session.tenant(), session.storedId(), session.storedUserId());
            case NOTHING -> {
            }
        }
    }

    /** The session's entry in the expiry index of its key's slot. */
    private Indexed indexed(String tenant, String id, String userId) {
        String index = keys.expiryIndexOf(keys.key(tenant, id));
        return new Indexed(index, keys.expiryUsers(index), keys.expiryMember(tenant, id), userId);
    }

    /** A session found past its deadline was deleted by this replica: counted and announced once. */
    private void expired(String tenant, String id, String userId) {
        metrics.expired(tenant);
        ends.ended(tenant, id, userId, Reason.EXPIRED);
    }

    public int defaultMaxInactiveSeconds() {
        return timeouts.defaultMaxInactiveSeconds();
    }

    /**
     * Writes the request's changes, if any: a new session with the create script, a changed one with one
     * compare-and-set script that also moves it to a rotated id. In save mode {@code on-set-or-changed} values
     * changed in place count as changes. When another request wrote in between, the changes are merged onto its value
     * and written again. A session deleted in between stays deleted. A failed save is reported once: later saves of
     * the same request do nothing.
     * <p>
     * A request without changes writes the session through the same compare-and-set script only to refresh a stored
     * access time older than {@code quarkus.redis-session.touch-interval} (a touch). A touch that finds the session
     * gone, or Redis unavailable, fails nothing: this request changed nothing that could be lost.
     * <p>
     * A passive request's session is never written: its changes were refused as they were made, and a value it
     * changed in place is refused here.
     *
     * @throws SessionGoneException when another request invalidated the session or moved it to a new id meanwhile,
     *         or a purge of its tenant ended it
     * @throws IllegalStateException when a passive request changed a value in place
     */
    public void save(SessionState session) {
        if (session.isInvalid() || session.writeFailed()) {
            return;
        }
        if (session.isPassive()) {
            if (config.saveMode() == RedisSessionConfig.SaveMode.ON_SET_OR_CHANGED) {
                session.captureInPlaceChanges();
            }
            if (session.isDirty()) {
                session.markWriteFailed();
                throw SessionState.passiveRefusal("change session attributes " + session.changedAttributes() + " in place");
            }
            return;
        }
        boolean touch = false;
        try {
            if (config.saveMode() == RedisSessionConfig.SaveMode.ON_SET_OR_CHANGED) {
                session.captureInPlaceChanges();
            }
            touch = !session.isDirty();
            if (touch && !session.touchDue(config.touchInterval())) {
                return;
            }
            write(session, touch);
        } catch (SessionStoreUnavailableException e) {
            session.markWriteFailed();
            if (!touch) {
                throw e;
            }
            // The store has logged the failure; the request read its session and may still be served.
        } catch (RuntimeException e) {
            metrics.saveFailed(e, session.tenant());
            session.markWriteFailed();
            throw e;
        }
    }

    private void write(SessionState session, boolean touch) {
        String key = keys.key(session.tenant(), session.id());
        for (int attempt = 0; attempt <= config.maxWriteRetries(); attempt++) {
            if (touch && !session.touchDue(config.touchInterval())) {
                return; // the request that wrote in between refreshed the access time
            }
            Instant now = clock.now();
            SessionDocument next = session.next();
            boolean anonymous = next.isAnonymous();
            long ttl = timeouts.ttlMillis(next.createdAt(now), next.maxInactiveInterval(), anonymous, now);
            if (ttl <= 0) {
                // Outlived its absolute lifetime while this request used it: an expiry, not a logout.
                session.markInvalid();
                if (session.storedId() != null && store.end(storedKey(session),
                        indexed(session.tenant(), session.storedId(), null)) != RedisSessionStore.Ended.NOTHING) {
                    expired(session.tenant(), session.storedId(), session.storedUserId());
                }
                return;
            }
            byte[] value = codec.write(next);
            if (!touch) {
                // A touch adds nothing: a session over a lowered limit is refused changes, not reads.
                // The store's own seed field (tenant_id) does not count against the application's max-attributes.
                limits.checkSession(value.length,
                        next.attributeNames().size() - (next.attribute(SessionState.TENANT_ID) == null ? 0 : 1),
                        anonymous);
            }
            WriteResult result;
            if (session.storedId() == null) {
                if (anonymous) {
                    limitCreation(session);
                }
                result = createInAnySlot(session, next, value, ttl);
            } else {
                String storedKey = storedKey(session);
                // A created_at nobody can read counts as before any purge.
                result = store.write(storedKey, key, keys.purgeFenceOf(session.tenant(), storedKey),
                        keys.expiryMember(session.tenant(), session.storedId()),
                        indexed(session.tenant(), session.id(), next.userId()),
                        next.createdAt(Instant.EPOCH).toEpochMilli(), session.storedSha1(), value, ttl);
            }
            switch (result.outcome()) {
                case WRITTEN -> {
                    if (session.storedId() == null) {
                        metrics.created(session.tenant());
                        if (anonymous) {
                            metrics.anonymousCreated(session.tenant());
                        }
                    }
                    metrics.stored(value.length, session.tenant());
                    session.written(next, value);
                    return;
                }
                case PURGED -> {
                    session.markInvalid();
                    if (session.storedId() != null) {
                        // The rotation's script deleted the stored session: a purge newer than it forbade the move.
                        ends.ended(session.tenant(), session.storedId(), session.storedUserId(), Reason.PURGED);
                    }
                    throw new SessionGoneException("All sessions of this tenant were ended by an administrator "
                            + "while this request "
                            + (session.storedId() == null ? "created its session" : "changed its session id")
                            + "; sign in again.");
                }
                case GONE -> {
                    session.markInvalid();
                    if (touch) {
                        return; // nothing of this request is lost, and the deletion stands
                    }
                    throw new SessionGoneException("The session was invalidated, expired, or given a new id by "
                            + "another request while this request used it; this request's changes were not saved. "
                            + "Sign in again or retry with the current session.");
                }
                case CONFLICT -> {
                    metrics.writeConflict(session.tenant());
                    session.rebase(parseForMerge(storedKey(session), result.current()), result.current(),
                            config.sameAttributeConflict() == RedisSessionConfig.SameAttributeConflict.REJECT);
                    backOff(attempt);
                }
                case TAKEN -> throw new IllegalStateException("A session with the new id already exists; not overwritten");
            }
        }
        throw new AttributeConflictException(session.changedAttributes(), "other requests changed the session "
                + config.maxWriteRetries() + " times while this request tried to save it (raise "
                + "quarkus.redis-session.max-write-retries if one session legitimately takes this many parallel writes)");
    }

    /** @throws TooManySessionsException when the creating address is over {@code anonymous.creations-per-minute} */
    private void limitCreation(SessionState session) {
        long retryAfter = anonymousCreations == null ? 0 : anonymousCreations.acquire(session.creatorAddress());
        if (retryAfter > 0) {
            throw new TooManySessionsException("This client created more sessions without user_id in the last minute "
                    + "than quarkus.redis-session.anonymous.creations-per-minute allows; nothing was saved. Retry "
                    + "after " + retryAfter + " s, or sign in (a request that sets user_id is not limited).",
                    retryAfter);
        }
    }

    /**
     * Stores a new session. On a cluster, a creation whose slot fails (its master lost) is tried again under another
     * new id, in another slot, as long as the first attempt's deadline ({@code quarkus.redis-session.timeout}) lasts:
     * logins keep working while any master is up (with one of three masters left, 16 attempts all fail once in 650
     * logins; with two of three, once in 43 million). Nobody knows the new id yet, so changing it costs nothing; one
     * that went unanswered but was stored after all expires unread. (A rotation keeps its slot, so one script moves the
     * session atomically; its slot is served whenever the session could be read.)
     */
    private WriteResult createInAnySlot(SessionState session, SessionDocument next, byte[] value, long ttl) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        for (int attempt = 1;; attempt++) {
            String key = keys.key(session.tenant(), session.id());
            try {
                return store.create(key, keys.purgeFenceOf(session.tenant(), key),
                        indexed(session.tenant(), session.id(), next.userId()),
                        next.createdAt(Instant.EPOCH).toEpochMilli(), value, ttl);
            } catch (SessionStoreUnavailableException e) {
                if (!store.anotherSlotMayWork(e) || attempt == MAX_CREATE_ATTEMPTS
                        || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                session.rotateTo(SessionIds.generate());
            }
        }
    }

    /**
     * After a conflict, before the next write: N requests writing one session at once each lose up to N - 1 times
     * when they all retry at once (one wins per round); a random pause that doubles with each loss (up to 64 ms)
     * spreads them out, so a burst of parallel updates of one attribute does not run out of retries. The first retry
     * goes at once: one conflict is the common case.
     */
    private static void backOff(int attempt) {
        if (attempt > 0) {
            long maxMicros = 1000L << Math.min(attempt, 6);
            java.util.concurrent.locks.LockSupport
                    .parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(maxMicros) * 1000);
        }
    }

    private SessionDocument parseForMerge(String key, byte[] raw) {
        try {
            return parse(raw);
        } catch (CorruptSessionException e) {
            throw new IllegalStateException("Session key " + SessionKeys.redact(key) + " was overwritten with a value "
                    + "this application cannot read (" + e.getMessage() + "); this request's changes were not merged "
                    + "into it", e);
        }
    }

    /** @throws CorruptSessionException when the value is over the size limit (never parsed) or no JSON object */
    private SessionDocument parse(byte[] raw) {
        if (limits.isOver(raw.length)) {
            throw new CorruptSessionException("it is " + raw.length + " bytes, more than quarkus.redis-session.max-size ("
                    + limits.maxBytes() + " bytes), so it is not parsed");
        }
        return codec.parse(raw);
    }

    private String storedKey(SessionState session) {
        return keys.key(session.tenant(), session.storedId());
    }
}
