package dev.redissession.servlet.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionManager;

/**
 * What Undertow's session listeners are shown of a session that ended outside a request of this replica (it expired
 * in Redis, a purge deleted it): its id and no attribute, since its value is gone. It cannot be changed; only
 * Quarkus' and Undertow's own bookkeeping attributes are kept, in memory, while the listeners run.
 */
final class EndedSession implements Session {

    private final String id;
    private final SessionManager manager;
    private final int maxInactiveSeconds;
    /** Quarkus' and Undertow's own attributes, as in {@link UndertowSession}: never stored. */
    private final Map<String, Object> requestLocal = new ConcurrentHashMap<>();

    EndedSession(String id, SessionManager manager, int maxInactiveSeconds) {
        this.id = id;
        this.manager = manager;
        this.maxInactiveSeconds = maxInactiveSeconds;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void requestDone(HttpServerExchange exchange) {
    }

    /** Not known any more: the value that held it is gone. */
    @Override
    public long getCreationTime() {
        return 0;
    }

    /** Not known any more: the value that held it is gone. */
    @Override
    public long getLastAccessedTime() {
        return 0;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        throw ended();
    }

    @Override
    public int getMaxInactiveInterval() {
        return maxInactiveSeconds;
    }

    @Override
    public Object getAttribute(String name) {
        return requestLocal.get(name);
    }

    @Override
    public Set<String> getAttributeNames() {
        return Set.copyOf(requestLocal.keySet());
    }

    /** Only Quarkus' and Undertow's own attributes (the session scope's bookkeeping while it is destroyed). */
    @Override
    public Object setAttribute(String name, Object value) {
        if (!UndertowSession.isRequestLocal(name)) {
            throw ended();
        }
        return requestLocal.put(name, value);
    }

    @Override
    public Object removeAttribute(String name) {
        return requestLocal.remove(name);
    }

    @Override
    public void invalidate(HttpServerExchange exchange) {
        throw ended();
    }

    @Override
    public SessionManager getSessionManager() {
        return manager;
    }

    @Override
    public String changeSessionId(HttpServerExchange exchange, SessionConfig config) {
        throw ended();
    }

    private static IllegalStateException ended() {
        return new IllegalStateException("This session has ended (it is gone from Redis): it cannot be changed");
    }
}
