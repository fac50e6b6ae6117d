package dev.redissession.demo;

import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;
import io.smallrye.mutiny.Uni;

/**
 * The same session through the quarkus-rest door: {@code GET /api/me} answers what {@code /demo/me} answers (and
 * {@code GET /api/reactive/me} the same from a non-blocking endpoint), and
 * {@code POST /api/counter} increments the {@code counter} attribute that the servlet's {@code /demo/counter} does.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    @Inject
    RedisSession session;

    @GET
    @Path("/me")
    public Response me() {
        return me(session);
    }

    /** The same from a non-blocking endpoint: on the event loop, after {@code load()}. */
    @GET
    @Path("/reactive/me")
    public Uni<Response> reactiveMe() {
        return session.load().map(ApiResource::me);
    }

    private static Response me(RedisSession session) {
        if (!session.exists()) {
            return Response.status(Response.Status.UNAUTHORIZED).entity(Map.of("error", "no_session", "message",
                    "No session for this cookie and tenant: log in with POST /demo/login")).build();
        }
        Map<String, Object> attributes = new TreeMap<>();
        for (String name : session.getAttributeNames()) {
            attributes.put(name, session.getAttribute(name));
        }
        return Response.ok(attributes).build();
    }

    @POST
    @Path("/counter")
    public Number counter() {
        return session.update(CounterServlet.ATTRIBUTE, CounterServlet::increment);
    }
}
