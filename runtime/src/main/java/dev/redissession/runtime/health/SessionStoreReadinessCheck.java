package dev.redissession.runtime.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Readiness;

/** The session store's check in {@code /q/health/ready} ({@code quarkus.redis-session.health.kind=readiness}). */
@Readiness
@Singleton
public class SessionStoreReadinessCheck extends SessionStoreHealthCheck {
}
