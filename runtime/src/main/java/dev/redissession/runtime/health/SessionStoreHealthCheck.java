package dev.redissession.runtime.health;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.redissession.runtime.store.StoreProbe;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * The readiness check "Redis session store" (with quarkus-smallrye-health): UP when {@link StoreProbe} finds every
 * master reachable and every command of the store allowed, DOWN with the probe's reason otherwise (named as
 * {@link dev.redissession.runtime.failure.FailureKind} says, or Redis's own refusal). Readiness only: a Redis outage
 * must take replicas out of the load balancer, never make Kubernetes restart them.
 */
@Readiness
@Singleton
public class SessionStoreHealthCheck implements AsyncHealthCheck {

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
