package dev.redissession;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides which tenant a request belongs to; its sessions are stored under {@code <prefix><tenant>:<id>}.
 * <p>
 * The extension provides one configured by {@code quarkus.redis-session.tenant.*}. An application replaces it by
 * declaring its own CDI bean of this type. The returned id is validated ({@link TenantIds#PATTERN}); an invalid
 * one makes the request fail with 400 before any Redis command.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * @param request the request that accesses its session
     * @return the tenant id, never {@code null}
     */
    String resolve(HttpServletRequest request);
}
