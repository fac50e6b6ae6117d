package dev.redissession.runtime.admin;

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
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.purge.PurgeCommands.ClusterChangedException;
import dev.redissession.runtime.failure.ErrorText;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The session admin API: purge a tenant's sessions and follow the job, from any replica. Part of the application
 * only with {@code quarkus.redis-session.admin.enabled=true}; every endpoint needs the role
 * {@code quarkus.redis-session.admin.role}.
 */
@Path("/admin/sessions")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProperty(name = "quarkus.redis-session.admin.enabled", stringValue = "true")
@RolesAllowed("${quarkus.redis-session.admin.role:session-admin}")
public class SessionAdminResource {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    TenantPurge purge;
    @Inject
    RedisSessionConfig config;

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

    @ServerExceptionMapper
    public Response invalidTenant(InvalidTenantException e) {
        return error(Response.Status.BAD_REQUEST, "invalid_tenant", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unknownJob(PurgeNotFoundException e) {
        return error(Response.Status.NOT_FOUND, "unknown_purge", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response alreadyRunning(PurgeAlreadyRunningException e) {
        return error(Response.Status.CONFLICT, "purge_running", e.getMessage(), e.runningJobId());
    }

    /** Redis failed or timed out; its own error reply is kept, its addresses and any session key are not. */
    @ServerExceptionMapper
    public Response unavailable(SessionStoreUnavailableException e) {
        return unavailable("session_store_unavailable", ErrorText.publicText(e.getMessage(), config.keyPrefix()),
                e.isTransient());
    }

    /**
     * The cluster's slots moved during the count, or not every slot is served, or the client is not a cluster
     * client but Redis is: a count would be wrong.
     */
    @ServerExceptionMapper
    public Response clusterChanged(ClusterChangedException e) {
        return unavailable("cluster_changed", ErrorText.publicText(e.getMessage(), config.keyPrefix()),
                e.isTransient());
    }

    /** A blocking wait (the job lookup before an event stream) ran out: Redis is slow or unreachable. */
    @ServerExceptionMapper
    public Response timedOut(io.smallrye.mutiny.TimeoutException e) {
        return unavailable("session_store_unavailable", "Redis did not answer within "
                + LOOKUP_TIMEOUT.toSeconds() + " s; try again", true);
    }

    /** 503; {@code Retry-After} only when retrying soon can help (not for a refused command or a bad setup). */
    private static Response unavailable(String error, String message, boolean retrySoon) {
        Response response = error(Response.Status.SERVICE_UNAVAILABLE, error, message, null);
        return retrySoon ? Response.fromResponse(response).header("Retry-After", "1").build() : response;
    }

    private static Response error(Response.Status status, String error, String message, String jobId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        if (jobId != null) {
            body.put("job_id", jobId);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
