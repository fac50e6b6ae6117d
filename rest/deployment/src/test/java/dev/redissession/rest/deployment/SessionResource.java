package dev.redissession.rest.deployment;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;
import io.smallrye.mutiny.Uni;

/** A quarkus-rest resource over the injected session, blocking and reactive. */
@Path("/r")
public class SessionResource {

    @Inject
    RedisSession session;

    @GET
    @Path("/attr/{name}")
    public Response get(@PathParam("name") String name) {
        Object value = session.getAttribute(name);
        return value == null ? Response.status(401).build() : Response.ok(String.valueOf(value)).build();
    }

    @PUT
    @Path("/attr/{name}")
    public String put(@PathParam("name") String name, String value) {
        session.setAttribute(name, Integer.valueOf(value.trim()));
        return session.isNew() ? "new" : "existing";
    }

    @PUT
    @Path("/text/{name}")
    public String putText(@PathParam("name") String name, String value) {
        session.setAttribute(name, value);
        return "stored";
    }

    @GET
    @Path("/reactive/attr/{name}")
    public Uni<Response> reactiveGet(@PathParam("name") String name) {
        return session.load().map(s -> {
            Object value = s.getAttribute(name);
            return value == null ? Response.status(401).build() : Response.ok(String.valueOf(value)).build();
        });
    }

    @POST
    @Path("/reactive/counter")
    public Uni<String> reactiveIncrement() {
        return session.load().map(s -> {
            Integer counter = s.getAttribute("counter", Integer.class);
            int next = counter == null ? 1 : counter + 1;
            s.setAttribute("counter", next);
            return String.valueOf(next);
        });
    }

    /** Reaches the session on the event loop without load(): refused, not blocked. */
    @GET
    @Path("/reactive/unloaded")
    public Uni<Response> reactiveWithoutLoad() {
        return Uni.createFrom().item(() -> {
            try {
                return Response.ok(String.valueOf(session.getAttribute("x"))).build();
            } catch (IllegalStateException refused) {
                return Response.status(409).entity(refused.getMessage() + " on " + Thread.currentThread().getName())
                        .build();
            }
        });
    }

    @GET
    @Path("/untouched")
    public String untouched() {
        return "ok";
    }

    @POST
    @Path("/rotate")
    public String rotate() {
        return session.rotateId() == null ? "none" : "rotated";
    }

    @DELETE
    public String invalidate() {
        session.invalidate();
        return "ended";
    }
}
