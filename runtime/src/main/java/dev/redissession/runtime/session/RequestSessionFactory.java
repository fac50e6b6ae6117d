package dev.redissession.runtime.session;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.SessionRequest;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.http.CookieDefaults;
import dev.redissession.runtime.http.PassivePaths;
import dev.redissession.runtime.http.SessionIdTransport;

/** Where every door starts a request's session: with the id the request carries and its tenant resolver. */
@Singleton
public class RequestSessionFactory {

    @Inject
    SessionRepository repository;
    @Inject
    TenantResolver tenantResolver;
    @Inject
    RedisSessionConfig config;

    private SessionIdTransport transport;
    private PassivePaths passivePaths;

    @PostConstruct
    void init() {
        transport = new SessionIdTransport(config, CookieDefaults.NONE);
        passivePaths = new PassivePaths(config.passivePaths().orElse(List.of()));
    }

    /** The transport as the properties alone configure it (doors without a deployment descriptor). */
    public SessionIdTransport transport() {
        return transport;
    }

    /** The transport with a deployment descriptor's cookie settings for what the properties leave unset. */
    public SessionIdTransport transport(CookieDefaults deployment) {
        return new SessionIdTransport(config, deployment);
    }

    /**
     * The request's session, not looked up yet: that costs nothing until the request uses it. Whether the request is
     * passive is decided here, once: its endpoint is annotated (as the door found), or its path is one of
     * {@code quarkus.redis-session.passive-paths}.
     *
     * @param annotatedPassive whether the door found {@code @PassiveSession} on the request's endpoint
     */
    public RequestSession open(SessionRequest request, SessionIdTransport transport, boolean annotatedPassive) {
        return new RequestSession(repository, tenantResolver, request, transport, transport.requestedIds(request),
                annotatedPassive || passivePaths.matches(request.path()));
    }
}
