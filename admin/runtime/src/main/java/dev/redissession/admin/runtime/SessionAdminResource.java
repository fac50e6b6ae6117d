package dev.redissession.admin.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.redissession.InvalidTenantException;
import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeJob;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.TenantPurge;
import dev.redissession.runtime.failure.SessionFailure;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * The session admin API: purge a tenant's sessions and follow the job, from any replica. Registered by the admin
 * extension's processor unless {@code quarkus.redis-session.admin.enabled=false}; every endpoint needs the role
 * {@code quarkus.redis-session.admin.role} ({@link AdminConfig}).
 */
@Path("/admin/sessions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("${quarkus.redis-session.admin.role:session-admin}")
public class SessionAdminResource {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    TenantPurge purge;

    /** Starts a purge of the tenant: 202 with the job and its {@code Location}. */
    @POST
    @Path("tenants/{tenant}/purge")
    public Uni<Response> purge(@PathParam("tenant") String tenant, @Context UriInfo uri) {
        return purge.start(tenant).map(job -> Response.accepted(job)
                .location(uri.getBaseUriBuilder().path(SessionAdminResource.class).path("purges").path(job.id()).build())
                .build());
    }

    /** The tenant's session count, by SCAN: approximate (a key may be counted twice while Redis rehashes). */
    @GET
    @Path("tenants/{tenant}")
    public Uni<Map<String, Object>> tenant(@PathParam("tenant") String tenant) {
        return purge.countSessions(tenant).map(count -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", tenant);
            body.put("sessions", count);
            return body;
        });
    }

    /** The job, as this or any other replica last stored it. */
    @GET
    @Path("purges/{id}")
    public Uni<PurgeJob> job(@PathParam("id") String id) {
        return purge.job(id).map(found -> found.orElseThrow(() -> new PurgeNotFoundException(id)));
    }

    /** Server-Sent Events: one JSON snapshot per progress step, the last one terminal. */
    @GET
    @Path("purges/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<PurgeJob> events(@PathParam("id") String id) {
        // SSE headers go out as soon as a stream is returned: an unknown job must be found out before (on a worker
        // thread, hence @Blocking), so it is still a plain 404.
        if (purge.job(id).await().atMost(LOOKUP_TIMEOUT).isEmpty()) {
            throw new PurgeNotFoundException(id);
        }
        return purge.events(id);
    }

    /** Cancels a running job: 202 with the job as it was; 200 with a job that had already ended. */
    @DELETE
    @Path("purges/{id}")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return purge.cancel(id).map(job -> (job.state().isTerminal() ? Response.ok(job) : Response.accepted(job))
                .build());
    }

    /**
     * Every failure the API knows, answered as {@link SessionFailure} says: {@code {"error", "message"[, "job_id"]}}
     * with its status and its headers ({@code Retry-After} only when retrying soon can help: Redis unreachable or
     * slow, not a refused command or a bad setup). Listed by type so that security's 401/403 keep their own mappers.
     */
    @ServerExceptionMapper({ InvalidTenantException.class, PurgeNotFoundException.class,
            PurgeAlreadyRunningException.class, SessionStoreUnavailableException.class, TimeoutException.class })
    public Response failure(Exception e) {
        SessionFailure failure = SessionFailure.of(e);
        Response.ResponseBuilder response = Response.status(failure.status()).type(MediaType.APPLICATION_JSON)
                .entity(failure.json());
        failure.headers().forEach(response::header);
        return response.build();
    }
}
