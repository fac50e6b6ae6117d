package dev.redissession.admin.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Build-time configuration of the admin REST API.
 */
@ConfigMapping(prefix = "quarkus.redis-session.admin")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface AdminBuildTimeConfig {

    /**
     * Whether the admin REST API ({@code /admin/sessions/...}: tenant purge jobs and session counts) is part of the
     * application. Adding the {@code quarkus-redis-session-admin} artifact is the opt-in, so it is on by default;
     * {@code false} leaves the endpoints out. Every endpoint requires the role
     * {@code quarkus.redis-session.admin.role}, so the application also needs an authentication mechanism (e.g. a
     * properties-file or OIDC user store).
     */
    @WithDefault("true")
    boolean enabled();
}
