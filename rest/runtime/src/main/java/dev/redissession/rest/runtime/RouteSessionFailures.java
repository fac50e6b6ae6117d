package dev.redissession.rest.runtime;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.redissession.runtime.failure.SessionFailure;
import dev.redissession.runtime.session.RequestSession;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a failure of the session store that a Vert.x route hands to {@code rc.fail} (a failed {@code load} or
 * {@code RoutingSessions.flush}) as {@link SessionFailure} says, the same JSON as the other doors; any other failure
 * goes on to the next failure handler.
 */
@Singleton
public class RouteSessionFailures {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        SessionFailure failure = SessionFailure.of(context.failure());
        if (failure == null || context.response().headWritten()) {
            context.next();
            return;
        }
        RequestSession session = RoutingContextSessions.used(context);
        if (session != null) {
            session.fail();
        }
        failure.headers().forEach(context.response()::putHeader);
        context.response().setStatusCode(failure.status()).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(failure.json()));
    }
}
