package dev.redissession.it.firsthour;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/** The resource of docs/testing.md, verbatim (DocumentedCodeTest keeps the two equal). */
@Path("/account")
public class AccountResource {

    @Inject
    RedisSession session; // dev.redissession.RedisSession

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
