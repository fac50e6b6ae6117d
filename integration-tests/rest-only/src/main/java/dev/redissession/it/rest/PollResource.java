package dev.redissession.it.rest;

import java.util.Collections;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.PassiveSession;
import dev.redissession.RedisSession;

/**
 * {@code GET /demo/poll}: {@code {"user_id": ...}} of the session, 401 without one; passive, as a polling endpoint
 * should be: it reads the session without extending it (its TTL and {@code last_accessed_at} stay as they were).
 */
@Path("/demo/poll")
public class PollResource {

    @Inject
    RedisSession session;
    @Inject
    JsonAnswers json;

    @GET
    @PassiveSession
    public Response poll() {
        if (!session.exists()) {
            throw new ContractError(Response.Status.UNAUTHORIZED, "no_session",
                    "No session for this cookie and tenant: log in with POST /demo/login");
        }
        return json.ok(Collections.singletonMap("user_id", session.getAttribute("user_id")));
    }
}
