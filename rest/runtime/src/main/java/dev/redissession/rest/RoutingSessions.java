package dev.redissession.rest;

import dev.redissession.RedisSession;
import dev.redissession.rest.runtime.RoutingContextSessions;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The session of a Vert.x route ({@code Router} handlers and {@code @Route} methods; in {@code @Route} methods
 * {@code @Inject RedisSession} gives the same one). Quarkus-rest resources need none of this: they inject
 * {@link RedisSession} and the door saves for them. A route saves explicitly with {@link #flush}: Vert.x cannot wait
 * for an asynchronous save on its own when a response ends.
 *
 * <pre>
 * router.post("/visits").handler(rc -&gt; RoutingSessions.of(rc).load()
 *         .invoke(session -&gt; session.setAttribute("visits", 1))
 *         .chain(session -&gt; RoutingSessions.flush(rc))
 *         .subscribe().with(done -&gt; rc.end(), rc::fail));
 * </pre>
 *
 * A failed flush (or a failed {@code load}) fails the {@code Uni} with the store's exception; handed to
 * {@code rc.fail}, it is answered like every other session failure: JSON with the status it calls for.
 */
public final class RoutingSessions {

    private RoutingSessions() {
    }

    /**
     * The request's session, lazy: nothing is read from Redis until it is used. Passive (read without being extended)
     * when the route's path is one of {@code quarkus.redis-session.passive-paths}.
     */
    public static RedisSession of(RoutingContext context) {
        return RoutingContextSessions.open(context, false);
    }

    /**
     * Saves what the request did to its session and adds the id header the response must carry; call it before
     * ending the response. Costs no Redis command when the request did not use its session.
     */
    public static Uni<Void> flush(RoutingContext context) {
        return RoutingContextSessions.commit(context)
                .invoke(headers -> RoutingContextSessions.add(context.response().headers(), headers)).replaceWithVoid();
    }
}
