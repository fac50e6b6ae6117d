package dev.redissession.runtime.session;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.SessionRequest;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.http.CookieDefaults;
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

    @PostConstruct
    void init() {
        transport = new SessionIdTransport(config, CookieDefaults.NONE);
    }

    /** The transport as the properties alone configure it (doors without a deployment descriptor). */
    public SessionIdTransport transport() {
        return transport;
    }

    /** The transport with a deployment descriptor's cookie settings for what the properties leave unset. */
    public SessionIdTransport transport(CookieDefaults deployment) {
        return new SessionIdTransport(config, deployment);
    }

    /** The request's session, not looked up yet: that costs nothing until the request uses it. */
    public RequestSession open(SessionRequest request, SessionIdTransport transport) {
        return new RequestSession(repository, tenantResolver, request, transport, transport.requestedIds(request));
    }
}
