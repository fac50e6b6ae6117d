package dev.redissession.it.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/**
 * {@code POST /demo/counter}: adds one to the session attribute {@code counter} (creating the session if needed) and
 * returns the new value; two increments of one session at the same moment may both write the same value (last writer
 * wins per attribute).
 */
@Path("/demo/counter")
public class CounterResource {

    @Inject
    RedisSession session;
    @Inject
    JsonAnswers json;

    @POST
    public Response increment() {
        long next = session.getAttribute("counter") instanceof Number current ? current.longValue() + 1 : 1;
        session.setAttribute("counter", next);
        return json.ok(next);
    }
}
