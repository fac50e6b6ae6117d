package dev.redissession.runtime;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.SessionGoneException;
import dev.redissession.runtime.RedisSessionStore.WriteResult;
import dev.redissession.runtime.SessionDocument.EncodedAttribute;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionManager;

/**
 * One request's view of a session: the value read from Redis plus the changes this request made. The changes
 * reach Redis in one write when the request commits ({@link #commit()}), merged onto whatever the session holds by
 * then, so concurrent requests that change different attributes keep each other's changes.
 */
final class RedisSession implements Session {

    private static final Logger LOG = Logger.getLogger(RedisSession.class);

    private final RedisSessionManager manager;
    private final String tenant;
    private final SessionConfig cookie;
    private String id;
    /** The key the session is stored under; {@code null} until a new session is first written. */
    private String storedKey;
    private SessionDocument stored;
    private String storedSha1;

    private final Map<String, EncodedAttribute> changes = new LinkedHashMap<>();
    private Integer maxInactiveChange;
    private final Map<String, Object> values = new HashMap<>();
    /** Attributes Quarkus and Undertow keep for themselves: they live for this request only. */
    private final Map<String, Object> requestLocal = new HashMap<>();
    private boolean invalid;
    /** A write failed: the request reports it once, no later hook of the same request tries again. */
    private boolean writeFailed;

    private RedisSession(RedisSessionManager manager, String tenant, SessionConfig cookie, String id, String storedKey,
            SessionDocument stored, String storedSha1) {
        this.manager = manager;
        this.tenant = tenant;
        this.cookie = cookie;
        this.id = id;
        this.storedKey = storedKey;
        this.stored = stored;
        this.storedSha1 = storedSha1;
    }

    static RedisSession loaded(RedisSessionManager manager, String tenant, SessionConfig cookie, String id, String key,
            SessionDocument stored, byte[] raw) {
        return new RedisSession(manager, tenant, cookie, id, key, stored, RedisSessionStore.sha1Hex(raw));
    }

    static RedisSession created(RedisSessionManager manager, String tenant, SessionConfig cookie, String id,
            Instant now) {
        return new RedisSession(manager, tenant, cookie, id, null, SessionDocument.create(now), null);
    }

    /** How the id travels (the cookie); cleared when the session is invalidated. */
    SessionConfig cookie() {
        return cookie;
    }

    @Override
    public synchronized String getId() {
        return id;
    }

    @Override
    public void requestDone(HttpServerExchange exchange) {
        // The response is already sent when Undertow calls this; changes made that late are still saved.
        try {
            commit(exchange);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Session changes made after the response was sent were not saved");
        }
    }

    @Override
    public synchronized long getCreationTime() {
        checkValid();
        return stored.createdAt(Instant.now()).toEpochMilli();
    }

    @Override
    public synchronized long getLastAccessedTime() {
        checkValid();
        return stored.lastAccessedAt(Instant.now()).toEpochMilli();
    }

    @Override
    public synchronized void setMaxInactiveInterval(int interval) {
        checkValid();
        maxInactiveChange = interval;
    }

    @Override
    public synchronized int getMaxInactiveInterval() {
        checkValid();
        return maxInactiveSeconds();
    }

    private int maxInactiveSeconds() {
        Integer own = maxInactiveChange != null ? maxInactiveChange : stored.maxInactiveInterval();
        return own != null ? own : manager.timeouts().defaultMaxInactiveSeconds();
    }

    @Override
    public synchronized Object getAttribute(String name) {
        checkValid();
        if (RedisSessionManager.isRequestLocal(name)) {
            return requestLocal.get(name);
        }
        if (values.containsKey(name) || changes.containsKey(name)) {
            return values.get(name);
        }
        JsonNode json = stored.attribute(name);
        Object value = json == null ? null : manager.codec().decode(name, json, stored.attributeType(name));
        values.put(name, value);
        return value;
    }

    @Override
    public synchronized Set<String> getAttributeNames() {
        checkValid();
        Set<String> names = new LinkedHashSet<>(stored.attributeNames());
        changes.forEach((name, value) -> {
            if (value == null) {
                names.remove(name);
            } else {
                names.add(name);
            }
        });
        names.addAll(requestLocal.keySet());
        return names;
    }

    @Override
    public synchronized Object setAttribute(String name, Object value) {
        if (value == null) {
            return removeAttribute(name);
        }
        checkValid();
        if (RedisSessionManager.isRequestLocal(name)) {
            return requestLocal.put(name, value);
        }
        EncodedAttribute encoded = manager.codec().encode(name, value);
        Object old = previousValue(name);
        changes.put(name, encoded);
        values.put(name, value);
        if (old == null) {
            manager.listeners().attributeAdded(this, name, value);
        } else {
            manager.listeners().attributeUpdated(this, name, value, old);
        }
        return old;
    }

    @Override
    public synchronized Object removeAttribute(String name) {
        checkValid();
        if (RedisSessionManager.isRequestLocal(name)) {
            return requestLocal.remove(name);
        }
        Object old = previousValue(name);
        boolean present = changes.containsKey(name) ? changes.get(name) != null : stored.attribute(name) != null;
        if (present) {
            changes.put(name, null);
            values.remove(name);
            manager.listeners().attributeRemoved(this, name, old);
        }
        return old;
    }

    /** The value being replaced, for listeners; a stored value that no longer decodes is simply replaced. */
    private Object previousValue(String name) {
        try {
            return getAttribute(name);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        manager.invalidate(this, exchange);
    }

    /** Marks the session invalid; returns the key to delete, if it was ever stored. */
    synchronized String markInvalid() {
        checkValid();
        invalid = true;
        changes.clear();
        return storedKey;
    }

    boolean isInvalid() {
        return invalid;
    }

    @Override
    public SessionManager getSessionManager() {
        return manager;
    }

    @Override
    public synchronized String changeSessionId(HttpServerExchange exchange, SessionConfig config) {
        checkValid();
        String oldId = id;
        // In the same cluster slot as the stored key, so one script can move the session atomically.
        id = storedKey == null ? SessionIds.generate()
                : SessionIds.generateInSlot(ClusterSlots.slot(storedKey), candidate -> manager.key(tenant, candidate));
        config.setSessionId(exchange, id);
        manager.listeners().sessionIdChanged(this, oldId);
        return id;
    }

    /**
     * Writes this request's changes, if any: a new session with {@code SET NX}, a changed one with one
     * compare-and-set script that also moves it to a rotated id. When another request wrote in between, the changes
     * are merged onto its value and written again. A session deleted in between stays deleted.
     */
    synchronized void commit(HttpServerExchange exchange) {
        String key = manager.key(tenant, id);
        if (invalid || writeFailed || (key.equals(storedKey) && changes.isEmpty() && maxInactiveChange == null)) {
            return;
        }
        try {
            write(key);
        } catch (RuntimeException e) {
            writeFailed = true;
            restoreCookie(exchange);
            throw e;
        }
    }

    /**
     * @throws SessionGoneException when another request invalidated the session or moved it to a new id meanwhile,
     *         or a purge of its tenant ended it
     */
    private void write(String key) {
        for (int attempt = 0; attempt <= manager.maxWriteRetries(); attempt++) {
            Instant now = Instant.now();
            SessionDocument next = stored.copy();
            if (storedKey == null) {
                next.stampCreation(now);
            }
            next.apply(changes, maxInactiveChange, now);
            long ttl = manager.timeouts().ttlMillis(next.createdAt(now), next.maxInactiveInterval(), now);
            if (ttl <= 0) {
                manager.expired(this, storedKey);
                return;
            }
            byte[] value = manager.codec().write(next);
            WriteResult result;
            if (storedKey == null) {
                if (!manager.store().create(key, value, ttl)) {
                    throw new IllegalStateException("A session with the new id already exists; not overwritten");
                }
                result = WriteResult.WRITTEN;
            } else {
                // A created_at nobody can read counts as before any purge.
                result = manager.store().write(storedKey, key, manager.purgeFence(tenant, storedKey), next
                        .createdAt(Instant.EPOCH).toEpochMilli(), storedSha1, value, ttl);
            }
            switch (result.outcome()) {
                case WRITTEN -> {
                    stored = next;
                    storedSha1 = RedisSessionStore.sha1Hex(value);
                    storedKey = key;
                    changes.clear();
                    maxInactiveChange = null;
                    return;
                }
                case PURGED -> {
                    invalid = true;
                    throw new SessionGoneException("All sessions of this tenant were ended by an administrator "
                            + "while this request changed its session id; sign in again.");
                }
                case GONE -> {
                    invalid = true;
                    throw new SessionGoneException("The session was invalidated, expired, or given a new id by "
                            + "another request while this request used it; this request's changes were not saved. "
                            + "Sign in again or retry with the current session.");
                }
                case CONFLICT -> {
                    stored = manager.parseForMerge(storedKey, result.current());
                    storedSha1 = RedisSessionStore.sha1Hex(result.current());
                    values.keySet().retainAll(changes.keySet());
                }
            }
        }
        throw new IllegalStateException("Session " + SessionKeys.redact(key) + " was changed by other requests "
                + manager.maxWriteRetries() + " times while this request tried to save it; its changes were not "
                + "saved (raise quarkus.redis-session.max-write-retries if one session legitimately takes this many "
                + "parallel writes)");
    }

    /**
     * After a request failed on its session, the client keeps the id that is stored in Redis: none for a session
     * that was never stored or is gone, the old one for a rotation that was not written.
     */
    synchronized void restoreCookie(HttpServerExchange exchange) {
        if (invalid || storedKey == null) {
            invalid = true;
            cookie.clearSession(exchange, id);
        } else if (!storedKey.equals(manager.key(tenant, id))) {
            id = storedKey.substring(storedKey.lastIndexOf(':') + 1);
            cookie.setSessionId(exchange, id);
        }
    }

    private void checkValid() {
        if (invalid) {
            throw new IllegalStateException("This session has been invalidated");
        }
    }
}
