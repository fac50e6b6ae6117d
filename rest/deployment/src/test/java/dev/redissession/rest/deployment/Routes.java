package dev.redissession.rest.deployment;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.redissession.rest.RoutingSessions;
import io.vertx.ext.web.Router;

/** A plain Vert.x route over the session: it loads, changes and flushes before it ends the response. */
@Singleton
public class Routes {

    void install(@Observes Router router) {
        router.post("/route/visits").handler(rc -> RoutingSessions.of(rc).load()
                .map(session -> {
                    Integer visits = session.getAttribute("visits", Integer.class);
                    int next = visits == null ? 1 : visits + 1;
                    session.setAttribute("visits", next);
                    return next;
                })
                .call(next -> RoutingSessions.flush(rc))
                .subscribe().with(next -> rc.end(String.valueOf(next)), rc::fail));
    }
}
