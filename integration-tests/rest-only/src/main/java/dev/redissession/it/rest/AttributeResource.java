package dev.redissession.it.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/**
 * {@code PUT /demo/attributes/{name}} stores any JSON value under {@code name} (JSON {@code null} removes it);
 * {@code GET /demo/attributes/{name}} returns it. The names the servlet container keeps for itself
 * ({@code io.undertow.*}, {@code io.quarkus.*}) are refused here too, so that an attribute means the same through
 * every door.
 */
@Path("/demo/attributes{path: (/.*)?}")
public class AttributeResource {

    @Inject
    RedisSession session;
    @Inject
    JsonAnswers json;

    @GET
    public Response get(@PathParam("path") String path) {
        String name = attributeName(path);
        Object value = session.getAttribute(name);
        if (value == null) {
            throw session.exists()
                    ? new ContractError(Response.Status.NOT_FOUND, "no_attribute",
                            "The session has no attribute '" + name + "'")
                    : new ContractError(Response.Status.NOT_FOUND, "no_session", "No session for this cookie and tenant");
        }
        return json.ok(value);
    }

    @PUT
    public Response put(@PathParam("path") String path, byte[] body) {
        String name = attributeName(path);
        Object value = json.parseValue(body);
        try {
            session.setAttribute(name, value);
            return Response.noContent().build();
        } catch (IllegalArgumentException refused) {
            throw refusal(refused);
        }
    }

    /** The store's refusal of a value, answered with its message; a session made only for that value is dropped. */
    private ContractError refusal(IllegalArgumentException refused) {
        if (session.isNew()) {
            session.invalidate(); // never store an empty session
        }
        return ContractError.badRequest("attribute_refused", refused.getMessage());
    }

    /**
     * The one path segment after {@code /demo/attributes/}: matched here rather than by a template, so that a path
     * without exactly one gets the contract's JSON 404 rather than the framework's.
     */
    private static String attributeName(String path) {
        String name = path.isEmpty() ? "" : path.substring(1);
        if (name.isEmpty() || name.contains("/")) {
            throw new ContractError(Response.Status.NOT_FOUND, "not_found",
                    "Use /demo/attributes/{name} with a single path segment as the name");
        }
        if (name.startsWith("io.undertow.") || name.startsWith("io.quarkus.")) {
            throw ContractError.badRequest("reserved_name", "Attribute names starting "
                    + "with io.undertow. or io.quarkus. belong to the container and are never stored: choose another");
        }
        return name;
    }
}
