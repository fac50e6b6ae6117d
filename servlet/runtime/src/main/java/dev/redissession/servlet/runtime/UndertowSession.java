package dev.redissession.servlet.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.redissession.runtime.session.RequestSession;
import dev.redissession.runtime.session.SessionState;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener.SessionDestroyedReason;
import io.undertow.server.session.SessionListeners;
import io.undertow.server.session.SessionManager;

/**
 * Undertow's {@link Session} for one request: servlet semantics (validity, listeners, request-local attributes) over
 * a {@link SessionState} of the request's {@link RequestSession}, which saves it when the request commits.
 */
public final class UndertowSession implements Session {

    private static final Logger LOG = Logger.getLogger(UndertowSession.class);

    private final RequestSession core;
    private final SessionState state;
    private final int defaultMaxInactiveSeconds;
    private final SessionManager manager;
    private final SessionListeners listeners;
    /** Attributes Quarkus and Undertow keep for themselves: they live for this request only. */
    private final Map<String, Object> requestLocal = new HashMap<>();

    UndertowSession(RequestSession core, SessionState state, int defaultMaxInactiveSeconds, SessionManager manager,
            SessionListeners listeners) {
        this.core = core;
        this.state = state;
        this.defaultMaxInactiveSeconds = defaultMaxInactiveSeconds;
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
            RequestSessions.commit(exchange);
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
        return state.maxInactiveSeconds(defaultMaxInactiveSeconds);
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

    /** {@code ServletSessions.update}: an atomic update of one attribute, with the listeners told as for a set. */
    public synchronized <T> T update(String name, java.util.function.UnaryOperator<T> function) {
        checkValid();
        if (isRequestLocal(name)) {
            throw new IllegalArgumentException("Session attribute " + name + " is kept for this request only (a name "
                    + "of Quarkus or Undertow): it cannot be updated in Redis");
        }
        Object old = previousValue(name);
        T value = state.update(name, function);
        if (value == null) {
            if (old != null) {
                listeners.attributeRemoved(this, name, old);
            }
        } else if (old == null) {
            listeners.attributeAdded(this, name, value);
        } else {
            listeners.attributeUpdated(this, name, value, old);
        }
        return value;
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
            core.end(state); // deleted, and the client told to drop its id, when the request commits
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
        String id = core.rotate(state); // written, and sent to the client, when the request commits
        listeners.sessionIdChanged(this, oldId);
        return id;
    }

    private void checkValid() {
        if (state.isInvalid()) {
            throw new IllegalStateException("This session has been invalidated");
        }
    }
}
