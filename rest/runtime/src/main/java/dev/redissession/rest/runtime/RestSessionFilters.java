package dev.redissession.rest.runtime;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.redissession.InvalidTenantException;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.SessionTooLargeException;
import dev.redissession.runtime.failure.SessionFailure;
import dev.redissession.runtime.session.RequestSession;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The quarkus-rest door's two hooks: the session is saved in a response filter, before the response is committed, so
 * a failed save becomes the answer; and a failure of the session store thrown by a resource (a lookup that failed, an
 * invalid tenant) is answered as {@link SessionFailure} says, the same JSON as the servlet door's.
 */
public class RestSessionFilters {

    private static final Logger LOG = Logger.getLogger(RestSessionFilters.class);

    @Inject
    CurrentVertxRequest current;

    /** Runs for every answer, mapped exceptions included; a request that did not use its session costs nothing. */
    @ServerResponseFilter
    public Uni<Void> commit(ContainerResponseContext response) {
        RoutingContext context = current.getCurrent();
        if (context == null || RoutingContextSessions.used(context) == null) {
            return Uni.createFrom().voidItem();
        }
        return RoutingContextSessions.commit(context)
                .invoke(headers -> headers.forEach(header -> response.getHeaders().add(header.name(), header.value())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    answer(response, failure);
                    return null;
                });
    }

    private static void answer(ContainerResponseContext response, Throwable failure) {
        SessionFailure answer = SessionFailure.of(failure);
        if (answer == null) {
            LOG.errorf(failure, "Session changes could not be saved");
            response.setStatus(Response.Status.INTERNAL_SERVER_ERROR.getStatusCode());
            response.setEntity(null);
            return;
        }
        response.setStatus(answer.status());
        answer.headers().forEach(response.getHeaders()::putSingle);
        response.setEntity(answer.json(), null, MediaType.APPLICATION_JSON_TYPE);
    }

    @ServerExceptionMapper({ InvalidTenantException.class, SessionGoneException.class, SessionTooLargeException.class,
            SessionStoreUnavailableException.class })
    public Response storeFailed(RuntimeException failure) {
        RoutingContext context = current.getCurrent();
        RequestSession session = context == null ? null : RoutingContextSessions.used(context);
        if (session != null) {
            session.fail(); // answered here: nothing of this request is saved after the failure
        }
        SessionFailure answer = SessionFailure.of(failure);
        Response.ResponseBuilder builder = Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(answer.json());
        answer.headers().forEach(builder::header);
        return builder.build();
    }
}
