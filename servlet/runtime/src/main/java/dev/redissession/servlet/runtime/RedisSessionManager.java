package dev.redissession.servlet.runtime;

import java.util.Set;

import org.jboss.logging.Logger;

import dev.redissession.PassiveSession;
import dev.redissession.runtime.failure.SessionFailure;
import dev.redissession.runtime.session.RequestSession;
import dev.redissession.runtime.session.RequestSessionFactory;
import dev.redissession.runtime.session.SessionRepository;
import dev.redissession.runtime.session.SessionState;
import io.quarkus.arc.Arc;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.session.Session;
import io.undertow.server.session.SessionConfig;
import io.undertow.server.session.SessionListener;
import io.undertow.server.session.SessionListeners;
import io.undertow.server.session.SessionManager;
import io.undertow.server.session.SessionManagerStatistics;
import io.undertow.servlet.handlers.ServletChain;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.vertx.core.Context;

/**
 * Undertow's session manager for the servlet deployment: finds the session a request names and creates new ones
 * through the core's {@link RequestSession}, and makes sure each request's changes are saved before its response is
 * committed. A request that never asks for its session costs no Redis command.
 */
public class RedisSessionManager implements SessionManager {

    private static final Logger LOG = Logger.getLogger(RedisSessionManager.class);

    private final String deploymentName;
    private final CookieSessionIds ids;
    private final SessionListeners listeners = new SessionListeners();
    /** Resolved on first use: Undertow builds the deployment at static init, before run-time config exists. */
    private volatile Collaborators collaborators;

    RedisSessionManager(String deploymentName, CookieSessionIds ids) {
        this.deploymentName = deploymentName;
        this.ids = ids;
    }

    private record Collaborators(RequestSessionFactory sessions, SessionRepository repository) {
    }

    private Collaborators collaborators() {
        Collaborators resolved = collaborators;
        if (resolved == null) {
            resolved = new Collaborators(Arc.container().instance(RequestSessionFactory.class).get(),
                    Arc.container().instance(SessionRepository.class).get());
            collaborators = resolved;
        }
        return resolved;
    }

    @Override
    public Session getSession(HttpServerExchange exchange, SessionConfig config) {
        if (!RequestSessions.isLookupOpen(exchange)) {
            UndertowSession known = RequestSessions.used(exchange);
            return known != null && !known.isInvalid() ? known : null;
        }
        RequestSession core = core(exchange);
        // No id, or one we never issued: no Redis command for it.
        SessionState state = core.current();
        UndertowSession session = state == null ? null : wrap(core, state);
        RequestSessions.found(exchange, session);
        if (session != null) {
            commitBeforeResponse(exchange);
        }
        return session;
    }

    @Override
    public Session createSession(HttpServerExchange exchange, SessionConfig config) {
        RequestSession core = core(exchange);
        UndertowSession session = wrap(core, core.create());
        RequestSessions.found(exchange, session);
        commitBeforeResponse(exchange);
        listeners.sessionCreated(session, exchange);
        return session;
    }

    private RequestSession core(HttpServerExchange exchange) {
        return RequestSessions.core(exchange, () -> collaborators().sessions().open(new ExchangeRequest(exchange),
                ids.transport(), servesPassive(exchange)));
    }

    /** Whether the servlet that first uses the request's session is annotated {@code @PassiveSession}. */
    private static boolean servesPassive(HttpServerExchange exchange) {
        ServletRequestContext context = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        ServletChain servlet = context == null ? null : context.getCurrentServlet();
        return servlet != null
                && servlet.getManagedServlet().getServletInfo().getServletClass().isAnnotationPresent(PassiveSession.class);
    }

    private UndertowSession wrap(RequestSession core, SessionState state) {
        return new UndertowSession(core, state, collaborators().repository().defaultMaxInactiveSeconds(), this,
                listeners);
    }

    /**
     * Saves from Undertow's response-commit hook too, for responses that are flushed before the filter returns. A
     * response already started (flushed) or an exchange already ended (its client left, which the I/O thread may
     * notice at any moment) takes no hook: the filter and requestDone still save.
     */
    private void commitBeforeResponse(HttpServerExchange exchange) {
        if (takesNoHook(exchange)) {
            return;
        }
        try {
            addCommitListener(exchange);
        } catch (IllegalStateException refused) {
            // the client left between the check and now: as above; anything else is not ours to hide
            if (!takesNoHook(exchange)) {
                throw refused;
            }
        }
    }

    private static boolean takesNoHook(HttpServerExchange exchange) {
        return exchange.isResponseStarted() || exchange.isComplete();
    }

    private void addCommitListener(HttpServerExchange exchange) {
        exchange.addResponseCommitListener(committing -> {
            // Blocking is fine on a worker thread; an event-loop commit is left to the filter and requestDone.
            if (RequestSessions.used(committing) != null && !Context.isOnEventLoopThread()) {
                try {
                    RequestSessions.commit(committing);
                } catch (RuntimeException e) {
                    // Headers are not sent yet, so the status can still tell the client; the body is the servlet's.
                    LOG.errorf(e, "Session changes could not be saved before the response was committed");
                    SessionFailure failure = SessionFailure.of(e);
                    committing.setStatusCode(failure == null ? 500 : failure.status());
                    if (failure != null) {
                        failure.headers().forEach(committing::setResponseHeader);
                    }
                }
            }
        });
    }

    @Override
    public String getDeploymentName() {
        return deploymentName;
    }

    @Override
    public void start() {
        ServletSessionEnds.started(this);
    }

    @Override
    public void stop() {
        ServletSessionEnds.stopped(this);
    }

    /**
     * A session ended outside a request of this deployment (expired, purged, ended by its user or an admin): the
     * listeners' {@code sessionDestroyed}, with Undertow's thread setup for ends without a request.
     */
    void ended(String sessionId) {
        listeners.sessionDestroyed(new EndedSession(sessionId, this, collaborators().repository()
                .defaultMaxInactiveSeconds()), null, SessionListener.SessionDestroyedReason.TIMEOUT);
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

    /**
     * Undertow passes the deployment's timeout here, and its own default of 30 minutes when {@code web.xml} sets none,
     * so the two cannot be told apart: the {@code web.xml} value is read at build time instead
     * ({@code DeploymentSessionTimeout}, applied by the {@link SessionRepository}).
     */
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
