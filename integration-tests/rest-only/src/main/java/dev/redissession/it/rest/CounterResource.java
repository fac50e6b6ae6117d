package dev.redissession.it.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/**
 * {@code POST /demo/counter}: adds one to the session attribute {@code counter} (creating the session if needed) and
 * returns the new value. An atomic update: parallel increments of one session on any replicas all count.
 */
@Path("/demo/counter")
public class CounterResource {

    @Inject
    RedisSession session;
    @Inject
    JsonAnswers json;

    @POST
    public Response increment() {
        Number next = session.update("counter", (Number current) -> current == null ? 1L : current.longValue() + 1);
        return json.ok(next);
    }
}
