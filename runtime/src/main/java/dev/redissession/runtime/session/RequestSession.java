package dev.redissession.runtime.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import dev.redissession.RedisSession;
import dev.redissession.SessionRequest;
import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.http.ResponseHeader;
import dev.redissession.runtime.http.SessionIdTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One request's session, the same for every door: found lazily from the id the request carries, created by its first
 * write, ended or given a new id in memory, and saved once by {@link #commit}, which alone decides what id the
 * response carries. The only Redis I/O happens in the lookup and in the commit.
 */
public final class RequestSession implements RedisSession {

    private final SessionRepository repository;
    private final TenantResolver tenantResolver;
    private final SessionRequest request;
    private final SessionIdTransport transport;
    /** The ids the request carries that have the form of one, in the order to try them. */
    private final List<String> requestedIds;
    /** A passive request reads its session without extending it, and changes nothing of it. */
    private final boolean passive;

    private String tenant;
    private boolean looked;
    /** The live session, {@code null} for none. */
    private SessionState state;
    /** Stored sessions this request ended, deleted by the commit. */
    private final List<SessionState> ended = new ArrayList<>(1);
    /** The id the client holds for a stored session, as far as this request knows. */
    private String clientId;
    /** A commit failed: the request's answer says so, and nothing of it is saved later. */
    private boolean failed;

    RequestSession(SessionRepository repository, TenantResolver tenantResolver, SessionRequest request,
            SessionIdTransport transport, List<String> requestedIds, boolean passive) {
        this.passive = passive;
        this.repository = repository;
        this.tenantResolver = tenantResolver;
        this.request = request;
        this.transport = transport;
        this.requestedIds = requestedIds;
    }

    /**
     * The live session, looked up on first use (blocking: a {@code GETEX}, a {@code GET} for a passive request; none
     * without an id of the right form).
     *
     * @throws IllegalStateException on an event-loop thread before the lookup ({@link #load()} does it there)
     */
    public synchronized SessionState current() {
        if (!looked && Context.isOnEventLoopThread()) {
            throw new IllegalStateException("The session is not loaded and this thread is an event loop, where "
                    + "waiting for Redis is not allowed: call RedisSession.load() and use the session in its Uni, "
                    + "or annotate the endpoint @Blocking");
        }
        return lookUp();
    }

    /** The first id whose session exists is the request's (one read each; the common case has one id). */
    private synchronized SessionState lookUp() {
        if (!looked) {
            for (String id : requestedIds) {
                state = repository.load(tenant(), id, passive);
                if (state != null) {
                    clientId = id;
                    break;
                }
            }
            looked = true;
        }
        return state;
    }

    /** Whether the lookup has happened (or was never needed because the request created its session). */
    private synchronized boolean isLoaded() {
        return looked;
    }

    /**
     * A new session for the request, replacing none (the caller checked {@link #current()}).
     *
     * @throws IllegalStateException for a passive request, which may not create one
     */
    public synchronized SessionState create() {
        if (passive) {
            throw SessionState.passiveRefusal("create a session");
        }
        looked = true;
        state = repository.create(tenant(), request.remoteAddress());
        return state;
    }

    /** Ends {@code session}: it is deleted from Redis at the commit. */
    public synchronized void end(SessionState session) {
        session.markInvalid();
        if (session.storedId() != null) {
            ended.add(session);
        }
        if (state == session) {
            state = null;
        }
    }

    /** Gives the session a new id, written at the commit. */
    public synchronized String rotate(SessionState session) {
        return repository.rotate(session);
    }

    /**
     * Saves what the request did (deletes the sessions it ended, writes the live one's changes) and tells what the
     * response must carry: the live session's id when the client does not hold it yet, or an empty id when the
     * session it held ended. Called again (a later hook of the same request) it saves what changed since.
     *
     * @throws RuntimeException the store's failure, which the door answers ({@code SessionFailure}); the response
     *         then carries no id, so the client keeps the one it sent, which names what Redis holds
     */
    public synchronized List<ResponseHeader> commit() {
        if (failed || !looked) {
            return List.of();
        }
        try {
            for (SessionState gone : ended) {
                repository.invalidate(gone);
            }
            ended.clear();
            if (state != null) {
                repository.save(state);
            }
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        String live = state != null && !state.isInvalid() && state.storedId() != null ? state.storedId() : null;
        if (Objects.equals(live, clientId)) {
            return List.of();
        }
        clientId = live;
        return transport.answer(request, live);
    }

    /** A failure answered the request: nothing of it is saved any more. */
    public synchronized void fail() {
        failed = true;
    }

    private String tenant() {
        if (tenant == null) {
            tenant = TenantIds.require(tenantResolver.resolve(request), "the application's TenantResolver returned it");
        }
        return tenant;
    }

    /**
     * Runs blocking session work off the event loop: on the calling thread when it may block, else on a worker of
     * the current Vert.x context, completing back on that context.
     */
    public static <T> Uni<T> offload(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work, false).toCompletionStage());
    }

    /** {@link #commit()} without blocking an event loop. */
    public Uni<List<ResponseHeader>> commitAsync() {
        return offload(this::commit);
    }

    // --- RedisSession: the API of quarkus-rest resources and Vert.x routes ---

    @Override
    public Uni<RedisSession> load() {
        if (isLoaded()) {
            return Uni.createFrom().item(this);
        }
        return offload(() -> {
            lookUp();
            return this;
        });
    }

    @Override
    public synchronized boolean exists() {
        return current() != null;
    }

    @Override
    public synchronized boolean isNew() {
        SessionState session = current();
        return session != null && session.storedId() == null;
    }

    @Override
    public synchronized String id() {
        SessionState session = current();
        return session == null ? null : session.id();
    }

    @Override
    public synchronized Instant creationTime() {
        SessionState session = current();
        return session == null ? null : Instant.ofEpochMilli(session.creationTime());
    }

    @Override
    public synchronized Instant lastAccessedTime() {
        SessionState session = current();
        return session == null ? null : Instant.ofEpochMilli(session.lastAccessedTime());
    }

    @Override
    public synchronized Duration maxInactiveInterval() {
        SessionState session = current();
        return session == null ? null
                : Duration.ofSeconds(session.maxInactiveSeconds(repository.defaultMaxInactiveSeconds()));
    }

    @Override
    public synchronized void setMaxInactiveInterval(Duration interval) {
        orCreate().setMaxInactiveSeconds(Math.toIntExact(interval.toSeconds()));
    }

    @Override
    public synchronized Object getAttribute(String name) {
        SessionState session = current();
        return session == null ? null : session.attribute(name);
    }

    @Override
    public synchronized <T> T getAttribute(String name, Class<T> type) {
        Object value = getAttribute(name);
        if (value != null && !type.isInstance(value)) {
            throw new ClassCastException("Session attribute '" + name + "' holds a " + value.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(value);
    }

    @Override
    public synchronized Set<String> getAttributeNames() {
        SessionState session = current();
        return session == null ? Set.of() : session.attributeNames();
    }

    @Override
    public synchronized void setAttribute(String name, Object value) {
        if (value == null) {
            removeAttribute(name);
        } else {
            orCreate().setAttribute(name, value);
        }
    }

    @Override
    public synchronized <T> T update(String name, UnaryOperator<T> function) {
        return orCreate().update(name, function);
    }

    @Override
    public synchronized void removeAttribute(String name) {
        SessionState session = current();
        if (session != null) {
            session.removeAttribute(name);
        }
    }

    @Override
    public synchronized void invalidate() {
        SessionState session = current();
        if (session != null) {
            end(session);
        }
    }

    @Override
    public synchronized String rotateId() {
        SessionState session = current();
        return session == null ? null : rotate(session);
    }

    private SessionState orCreate() {
        SessionState session = current();
        return session != null ? session : create();
    }
}
