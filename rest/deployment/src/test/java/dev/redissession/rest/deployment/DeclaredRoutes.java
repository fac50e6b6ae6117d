package dev.redissession.rest.deployment;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.RedisSession;
import dev.redissession.rest.RoutingSessions;
import io.quarkus.vertx.web.Route;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** A declared {@code @Route} over the injected session: the same session as {@code RoutingSessions.of}. */
@Singleton
public class DeclaredRoutes {

    @Inject
    RedisSession session;

    @Route(path = "/declared/visits", methods = Route.HttpMethod.POST)
    Uni<String> visits(RoutingContext context) {
        return session.load().map(loaded -> {
            Integer visits = loaded.getAttribute("visits", Integer.class);
            int next = visits == null ? 1 : visits + 1;
            loaded.setAttribute("visits", next);
            return String.valueOf(next);
        }).call(next -> RoutingSessions.flush(context));
    }
}
