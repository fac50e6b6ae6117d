package dev.redissession.runtime;

import java.time.Instant;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jboss.logging.Logger;

import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import io.quarkus.arc.Arc;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionListener.SessionDestroyedReason;
import io.undertow.server.session.SessionListeners;
import io.undertow.server.session.SessionManager;
import io.undertow.server.session.SessionManagerStatistics;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.util.AttachmentKey;
import io.vertx.core.Context;

/**
 * Undertow's session manager for the servlet deployment: finds the session a request names, creates new ones, and
 * makes sure each request's changes reach Redis before its response is committed. A request that never asks for
 * its session costs no Redis command; one that reads it costs one ({@code GETEX}).
 */
public class RedisSessionManager implements SessionManager {

    private static final Logger LOG = Logger.getLogger(RedisSessionManager.class);
    /**
     * Where the request's session lookup stands: absent until servlet code runs, {@link #LOOKUP_OPEN} while it
     * may look its session up, {@link #CLOSED} between dispatches, then the {@link RedisSession} or
     * {@link #NO_SESSION}, so Redis is asked once.
     */
    private static final AttachmentKey<Object> SESSION = AttachmentKey.create(Object.class);
    private static final Object LOOKUP_OPEN = new Object();
    private static final Object CLOSED = new Object();
    private static final Object NO_SESSION = new Object();

    private final String deploymentName;
    private final SessionListeners listeners = new SessionListeners();
    /** Resolved on first use: Undertow builds the deployment at static init, before run-time config exists. */
    private volatile Collaborators collaborators;

    public RedisSessionManager(String deploymentName) {
        this.deploymentName = deploymentName;
    }

    private record Collaborators(RedisSessionStore store, SessionCodec codec, TenantResolver tenantResolver,
            SessionKeys keys, SessionTimeouts timeouts, int maxWriteRetries, boolean cluster) {
    }

    private Collaborators collaborators() {
        Collaborators resolved = collaborators;
        if (resolved == null) {
            RedisSessionConfig config = bean(RedisSessionConfig.class);
            resolved = new Collaborators(bean(RedisSessionStore.class), bean(SessionCodec.class),
                    bean(TenantResolver.class), new SessionKeys(config.keyPrefix()),
                    new SessionTimeouts(config.idleTimeout(), config.maxLifetime()), config.maxWriteRetries(),
                    bean(SessionRedis.class).isCluster());
            collaborators = resolved;
        }
        return resolved;
    }

    private static <T> T bean(Class<T> type) {
        return Arc.container().instance(type).get();
    }

    /** Names under which Quarkus and Undertow keep objects of their own; they are never written to Redis. */
    static boolean isRequestLocal(String attributeName) {
        return attributeName.startsWith("io.quarkus.") || attributeName.startsWith("io.undertow.");
    }

    /** The session the request used, if it used one: what the commit filter and the commit listener save. */
    static RedisSession sessionOf(HttpServerExchange exchange) {
        return exchange.getAttachment(SESSION) instanceof RedisSession session ? session : null;
    }

    /**
     * Opens session lookups when servlet code starts. Before that only Undertow's security handlers look, on every
     * request, for authentication cached in the session, which Quarkus security never uses: answering them would
     * cost a {@code GETEX} per request.
     */
    static void startRequest(HttpServerExchange exchange) {
        Object state = exchange.getAttachment(SESSION);
        if (state == null || state == CLOSED) {
            exchange.putAttachment(SESSION, LOOKUP_OPEN);
        }
    }

    /**
     * Closes session lookups when servlet code is done. Undertow looks the session up once more when the response
     * completes, only to touch it: for a request that never used its session that too would cost a {@code GETEX}.
     *
     * @return the session the request used, or {@code null}
     */
    static RedisSession finishRequest(HttpServerExchange exchange) {
        if (exchange.getAttachment(SESSION) == LOOKUP_OPEN) {
            exchange.putAttachment(SESSION, CLOSED);
        }
        return sessionOf(exchange);
    }

    @Override
    public Session getSession(HttpServerExchange exchange, SessionConfig config) {
        Object known = exchange.getAttachment(SESSION);
        if (known != LOOKUP_OPEN) {
            return known instanceof RedisSession session && !session.isInvalid() ? session : null;
        }
        RedisSession session = load(exchange, config);
        exchange.putAttachment(SESSION, session == null ? NO_SESSION : session);
        if (session != null) {
            commitBeforeResponse(exchange);
        }
        return session;
    }

    private RedisSession load(HttpServerExchange exchange, SessionConfig config) {
        String id = config.findSessionId(exchange);
        if (!SessionIds.isValid(id)) {
            // No cookie, or one we never issued: no Redis command for it.
            return null;
        }
        String tenant = tenantOf(exchange);
        String key = keys().key(tenant, id);
        long defaultTtl = timeouts().defaultTtlMillis();
        byte[] raw;
        SessionDocument document;
        try {
            raw = store().load(key, defaultTtl);
            if (raw == null) {
                return null;
            }
            document = codec().parse(raw);
        } catch (CorruptSessionException e) {
            LOG.errorf("Session key %s holds a value this application cannot read: %s. The request is served "
                    + "without a session; the key is left untouched for inspection and expires with its TTL.",
                    SessionKeys.redact(key), e.getMessage());
            return null;
        }
        Instant now = Instant.now();
        long ttl = timeouts().ttlMillis(document.createdAt(now), document.maxInactiveInterval(), now);
        if (ttl <= 0) {
            store().delete(key);
            return null;
        }
        if (ttl != defaultTtl) {
            // Own idle timeout, or close to the absolute deadline: GETEX could not know it before reading.
            store().expire(key, ttl);
        }
        return RedisSession.loaded(this, tenant, config, id, key, document, raw);
    }

    @Override
    public Session createSession(HttpServerExchange exchange, SessionConfig config) {
        String tenant = tenantOf(exchange);
        RedisSession session = RedisSession.created(this, tenant, config, SessionIds.generate(), Instant.now());
        config.setSessionId(exchange, session.getId());
        exchange.putAttachment(SESSION, session);
        commitBeforeResponse(exchange);
        listeners.sessionCreated(session, exchange);
        return session;
    }

    void invalidate(RedisSession session, HttpServerExchange exchange) {
        listeners.sessionDestroyed(session, exchange, SessionDestroyedReason.INVALIDATED);
        String key = session.markInvalid();
        if (key != null) {
            store().delete(key);
        }
        if (exchange != null) {
            session.cookie().clearSession(exchange, session.getId());
        }
    }

    /** The session outlived its absolute lifetime while this request used it. */
    void expired(RedisSession session, String storedKey) {
        session.markInvalid();
        if (storedKey != null) {
            store().delete(storedKey);
        }
    }

    SessionDocument parseForMerge(String key, byte[] raw) {
        try {
            return codec().parse(raw);
        } catch (CorruptSessionException e) {
            throw new IllegalStateException("Session key " + SessionKeys.redact(key) + " was overwritten with a value "
                    + "this application cannot read (" + e.getMessage() + "); this request's changes were not merged "
                    + "into it", e);
        }
    }

    private void commitBeforeResponse(HttpServerExchange exchange) {
        exchange.addResponseCommitListener(committing -> {
            RedisSession session = sessionOf(committing);
            // Blocking is fine on a worker thread; an event-loop commit is left to the filter and requestDone.
            if (session != null && !Context.isOnEventLoopThread()) {
                try {
                    session.commit(committing);
                } catch (RuntimeException e) {
                    // Headers are not sent yet, so the status can still tell the client; the body is the servlet's.
                    LOG.errorf(e, "Session changes could not be saved before the response was committed");
                    committing.setStatusCode(SessionCommitFilter.statusFor(e));
                }
            }
        });
    }

    private String tenantOf(HttpServerExchange exchange) {
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        HttpServletRequest request = (HttpServletRequest) context.getServletRequest();
        return TenantIds.require(collaborators().tenantResolver().resolve(request));
    }

    String key(String tenant, String id) {
        return keys().key(tenant, id);
    }

    SessionKeys keys() {
        return collaborators().keys();
    }

    /** The purge fence a rotation of the session stored at {@code sessionKey} is checked against. */
    String purgeFence(String tenant, String sessionKey) {
        return keys().purgeFence(tenant, ClusterSlots.slot(sessionKey), collaborators().cluster());
    }

    RedisSessionStore store() {
        return collaborators().store();
    }

    SessionCodec codec() {
        return collaborators().codec();
    }

    SessionTimeouts timeouts() {
        return collaborators().timeouts();
    }

    int maxWriteRetries() {
        return collaborators().maxWriteRetries();
    }

    SessionListeners listeners() {
        return listeners;
    }

    @Override
    public String getDeploymentName() {
        return deploymentName;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    /** Sessions are found by request (tenant and id), never by id alone. */
    @Override
    public Session getSession(String sessionId) {
        return null;
    }

    @Override
    public void registerSessionListener(SessionListener listener) {
        listeners.addSessionListener(listener);
    }

    @Override
    public void removeSessionListener(SessionListener listener) {
        listeners.removeSessionListener(listener);
    }

    /** The idle timeout comes from {@code quarkus.redis-session.idle-timeout}, not from the deployment. */
    @Override
    public void setDefaultSessionTimeout(int timeout) {
    }

    /** Sessions live in Redis, shared by every replica; this replica does not enumerate them. */
    @Override
    public Set<String> getTransientSessions() {
        return Set.of();
    }

    @Override
    public Set<String> getActiveSessions() {
        return Set.of();
    }

    @Override
    public Set<String> getAllSessions() {
        return Set.of();
    }

    @Override
    public SessionManagerStatistics getStatistics() {
        return null;
    }
}
