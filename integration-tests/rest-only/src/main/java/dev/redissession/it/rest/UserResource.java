package dev.redissession.it.rest;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;
import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who is logged in: {@code POST /demo/login} stores the user (rotating the id of an existing session, against session
 * fixation), {@code GET /demo/me} and its non-blocking twin {@code GET /demo/reactive/me} answer every attribute,
 * {@code POST /demo/logout} ends the session.
 */
@Path("/demo")
public class UserResource {

    @Inject
    RedisSession session;
    @Inject
    TenantResolver tenants;
    @Inject
    JsonAnswers json;
    @Context
    HttpServerRequest request;

    /** Answers what it stored, absent fields omitted; a session of another user keeps its other attributes. */
    @POST
    @Path("/login")
    public Response login(byte[] body) {
        Login login = Login.of(json.parse(body));
        // Asked here only for the answer: the door asks the same resolver for the session's key. An invalid tenant
        // is an InvalidTenantException, which the door answers with 400 before any Redis command.
        String tenant = TenantIds.require(tenants.resolve(new VertxSessionRequest(request)));
        if (session.exists()) {
            session.rotateId();
        }
        Map<String, Object> user = login.attributes(tenant);
        // null removes what an earlier login of this session stored
        user.forEach(session::setAttribute);
        user.values().removeIf(Objects::isNull);
        return json.ok(user);
    }

    /** On a worker thread: the session is read from Redis on first use. */
    @GET
    @Path("/me")
    public Response me() {
        return attributes(session);
    }

    /** On the event loop: {@code load()} reads the session without blocking, then the same answer as {@link #me}. */
    @GET
    @Path("/reactive/me")
    public Uni<Response> reactiveMe() {
        return session.load().map(this::attributes);
    }

    @POST
    @Path("/logout")
    public Response logout() {
        session.invalidate(); // nothing happens without a session
        return Response.noContent().build();
    }

    private Response attributes(RedisSession loaded) {
        if (!loaded.exists()) {
            throw new ContractError(Response.Status.UNAUTHORIZED, "no_session",
                    "No session for this cookie and tenant: log in with POST /demo/login");
        }
        Map<String, Object> attributes = new TreeMap<>();
        for (String name : loaded.getAttributeNames()) {
            attributes.put(name, loaded.getAttribute(name));
        }
        return json.ok(attributes);
    }
}
