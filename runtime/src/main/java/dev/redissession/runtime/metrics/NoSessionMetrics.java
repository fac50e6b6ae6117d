package dev.redissession.runtime.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Provides {@link SessionMetrics#NONE} as the observer when no other is registered (no quarkus-micrometer). */
@Singleton
public class NoSessionMetrics {

    @Produces
    @DefaultBean
    @Singleton
    SessionMetrics none() {
        return SessionMetrics.NONE;
    }
}
