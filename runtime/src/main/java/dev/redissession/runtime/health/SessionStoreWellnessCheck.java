package dev.redissession.runtime.health;

import jakarta.inject.Singleton;

import io.smallrye.health.api.Wellness;

/**
 * The session store's check in {@code /q/health/well} ({@code quarkus.redis-session.health.kind=wellness}): reported,
 * but no probe of Kubernetes depends on it.
 */
@Wellness
@Singleton
public class SessionStoreWellnessCheck extends SessionStoreHealthCheck {
}
