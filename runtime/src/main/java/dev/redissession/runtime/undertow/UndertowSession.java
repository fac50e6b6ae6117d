package dev.redissession.runtime.undertow;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.redissession.runtime.session.SessionRepository;
import dev.redissession.runtime.session.SessionState;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener.SessionDestroyedReason;
import io.undertow.server.session.SessionListeners;
import io.undertow.server.session.SessionManager;

/**
 * Undertow's {@link Session} for one request: servlet semantics (validity, listeners, request-local attributes, the
 * cookie) over a {@link SessionState}, saved through the {@link SessionRepository} when the request commits.
 */
final class UndertowSession implements Session {

    private static final Logger LOG = Logger.getLogger(UndertowSession.class);

    private final SessionRepository repository;
    private final SessionState state;
    private final SessionConfig cookie;
    private final SessionManager manager;
    private final SessionListeners listeners;
    /** Attributes Quarkus and Undertow keep for themselves: they live for this request only. */
    private final Map<String, Object> requestLocal = new HashMap<>();

    UndertowSession(SessionRepository repository, SessionState state, SessionConfig cookie, SessionManager manager,
            SessionListeners listeners) {
        this.repository = repository;
        this.state = state;
        this.cookie = cookie;
        this.manager = manager;
        this.listeners = listeners;
    }

    /** Names under which Quarkus and Undertow keep objects of their own; they are never written to Redis. */
    static boolean isRequestLocal(String attributeName) {
        return attributeName.startsWith("io.quarkus.") || attributeName.startsWith("io.undertow.");
    }

    @Override
    public synchronized String getId() {
        return state.id();
    }

    synchronized boolean isInvalid() {
        return state.isInvalid();
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
        return state.creationTime();
    }

    @Override
    public synchronized long getLastAccessedTime() {
        checkValid();
        return state.lastAccessedTime();
    }

    @Override
    public synchronized void setMaxInactiveInterval(int interval) {
        checkValid();
        state.setMaxInactiveSeconds(interval);
    }

    @Override
    public synchronized int getMaxInactiveInterval() {
        checkValid();
        return state.maxInactiveSeconds(repository.defaultMaxInactiveSeconds());
    }

    @Override
    public synchronized Object getAttribute(String name) {
        checkValid();
        return isRequestLocal(name) ? requestLocal.get(name) : state.attribute(name);
    }

    @Override
    public synchronized Set<String> getAttributeNames() {
        checkValid();
        Set<String> names = state.attributeNames();
        names.addAll(requestLocal.keySet());
        return names;
    }

    @Override
    public synchronized Object setAttribute(String name, Object value) {
        if (value == null) {
            return removeAttribute(name);
        }
        checkValid();
        if (isRequestLocal(name)) {
            return requestLocal.put(name, value);
        }
        Object old = previousValue(name);
        state.setAttribute(name, value);
        if (old == null) {
            listeners.attributeAdded(this, name, value);
        } else {
            listeners.attributeUpdated(this, name, value, old);
        }
        return old;
    }

    @Override
    public synchronized Object removeAttribute(String name) {
        checkValid();
        if (isRequestLocal(name)) {
            return requestLocal.remove(name);
        }
        Object old = previousValue(name);
        if (state.removeAttribute(name)) {
            listeners.attributeRemoved(this, name, old);
        }
        return old;
    }

    /** The value being replaced, for listeners; a stored value that no longer decodes is simply replaced. */
    private Object previousValue(String name) {
        try {
            return state.attribute(name);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        synchronized (this) {
            checkValid();
        }
        listeners.sessionDestroyed(this, exchange, SessionDestroyedReason.INVALIDATED);
        synchronized (this) {
            repository.invalidate(state);
        }
        if (exchange != null) {
            cookie.clearSession(exchange, getId());
        }
    }

    @Override
    public SessionManager getSessionManager() {
        return manager;
    }

    @Override
    public synchronized String changeSessionId(HttpServerExchange exchange, SessionConfig config) {
        checkValid();
        String oldId = state.id();
        String id = repository.rotate(state);
        config.setSessionId(exchange, id);
        listeners.sessionIdChanged(this, oldId);
        return id;
    }

    /** Saves this request's changes; on failure the client is left holding the id that is stored in Redis. */
    synchronized void commit(HttpServerExchange exchange) {
        try {
            repository.save(state);
        } catch (RuntimeException e) {
            restoreCookie(exchange);
            throw e;
        }
    }

    /**
     * After a request failed on its session, the response sets no session cookie: the client keeps the one it sent,
     * which names what Redis holds (a rotation that was not written left the session under the old id). Never a
     * clearing cookie: a sibling request of the same client may just have set a new id, and a browser applies cookies
     * in the order responses arrive.
     */
    synchronized void restoreCookie(HttpServerExchange exchange) {
        state.revertToStored();
        CookieSessionIds.forgetResponseCookie(exchange);
    }

    private void checkValid() {
        if (state.isInvalid()) {
            throw new IllegalStateException("This session has been invalidated");
        }
    }
}
