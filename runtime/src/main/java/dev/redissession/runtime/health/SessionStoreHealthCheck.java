package dev.redissession.runtime.health;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.redissession.runtime.store.StoreProbe;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * The health check "Redis session store" (with quarkus-smallrye-health): UP while {@link StoreProbe} finds a master
 * that serves sessions (failing masters named in {@code failing}), DOWN with the probe's reason when none does or
 * Redis refuses the store's commands (named as {@link dev.redissession.runtime.failure.FailureKind} says, or Redis's
 * own refusal). A readiness check ({@link SessionStoreReadinessCheck}) or a wellness check
 * ({@link SessionStoreWellnessCheck}) as {@code quarkus.redis-session.health.kind} says; never liveness: a Redis
 * outage must never make Kubernetes restart the replicas.
 */
public abstract class SessionStoreHealthCheck implements AsyncHealthCheck {

    public static final String NAME = "Redis session store";

    @Inject
    StoreProbe probe;

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.probe().map(report -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(report.up());
            report.data().forEach(response::withData);
            return response.build();
        });
    }
}
