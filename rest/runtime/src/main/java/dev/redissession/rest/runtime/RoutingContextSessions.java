package dev.redissession.rest.runtime;

import java.util.List;

import dev.redissession.runtime.http.ResponseHeader;
import dev.redissession.runtime.session.RequestSession;
import dev.redissession.runtime.session.RequestSessionFactory;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Where the REST door keeps a request's {@link RequestSession}: on its {@link RoutingContext}, so quarkus-rest
 * resources, routes and the door's filters find the same one without a CDI request context.
 */
public final class RoutingContextSessions {

    private static final String KEY = RoutingContextSessions.class.getName();

    private RoutingContextSessions() {
    }

    /**
     * The request's session, opened (not looked up) on first use.
     *
     * @param annotatedPassive whether the endpoint serving the request is annotated {@code @PassiveSession}: decides
     *        only for the first use of the request's session
     */
    public static RequestSession open(RoutingContext context, boolean annotatedPassive) {
        RequestSession session = context.get(KEY);
        if (session == null) {
            InstanceHandle<RequestSessionFactory> factory = Arc.container().instance(RequestSessionFactory.class);
            if (!factory.isAvailable()) {
                throw new IllegalStateException("The Redis session store is off (quarkus.redis-session.enabled=false "
                        + "at build time), so there is no session to use: build with it on");
            }
            session = factory.get().open(new RoutingRequest(context), factory.get().transport(), annotatedPassive);
            context.put(KEY, session);
        }
        return session;
    }

    /** The request's session if the request used it, else {@code null}. */
    public static RequestSession used(RoutingContext context) {
        return context.get(KEY);
    }

    /** Saves the request's session, if it used one, and gives the headers its response must carry. */
    public static Uni<List<ResponseHeader>> commit(RoutingContext context) {
        RequestSession session = used(context);
        return session == null ? Uni.createFrom().item(List.of()) : session.commitAsync();
    }

    /** Adds a commit's headers to a response's. */
    public static void add(MultiMap headers, List<ResponseHeader> answer) {
        for (ResponseHeader header : answer) {
            headers.add(header.name(), header.value());
        }
    }
}
