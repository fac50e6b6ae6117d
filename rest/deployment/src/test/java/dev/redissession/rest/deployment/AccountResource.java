package dev.redissession.rest.deployment;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/** A new quarkus-rest application's first resource (docs/testing.md): log in, then read the session back. */
@Path("/account")
public class AccountResource {

    @Inject
    RedisSession session;

    @POST
    @Path("/login")
    public void login(String userId) {
        session.rotateId(); // a new id at login, against session fixation
        session.setAttribute("user_id", userId);
    }

    @GET
    @Path("/me")
    public Response me() {
        return session.getAttribute("user_id") instanceof String userId ? Response.ok(userId).build()
                : Response.status(Response.Status.UNAUTHORIZED).build();
    }
}
