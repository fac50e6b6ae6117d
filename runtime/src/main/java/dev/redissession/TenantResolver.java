package dev.redissession;

/**
 * Decides which tenant a request belongs to; its sessions are stored under {@code <prefix><tenant>:<id>}.
 * <p>
 * The extension provides one configured by {@code quarkus.redis-session.tenant.*}. An application replaces it by
 * declaring its own CDI bean of this type, which serves every door (servlets, quarkus-rest, Vert.x routes). The
 * returned id is validated ({@link TenantIds#PATTERN}); an invalid one makes the request fail with 400 before any
 * Redis command. It is asked only when a request uses its session.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * @param request the request that uses its session; {@link SessionRequest#unwrap} reaches the door's own type
     *        (e.g. {@code HttpServletRequest}) for what the neutral view does not tell
     * @return the tenant id, never {@code null}
     */
    String resolve(SessionRequest request);
}
