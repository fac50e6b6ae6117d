package dev.redissession.admin.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Run-time configuration of the admin REST API (whether it exists is decided at build time by
 * {@code quarkus.redis-session.admin.enabled}).
 */
@ConfigMapping(prefix = "quarkus.redis-session.admin")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface AdminConfig {

    /**
     * The role a caller needs for every endpoint of the admin API (401 without credentials, 403 without the role).
     * {@link SessionAdminResource} reads it through its {@code @RolesAllowed} expression.
     */
    @WithDefault("session-admin")
    String role();
}
