package dev.redissession.runtime.devui;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.redissession.InvalidTenantException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.TenantIds;
import dev.redissession.TenantPurge;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.config.RedisSessionConfig;
import dev.redissession.runtime.failure.ErrorText;
import dev.redissession.runtime.store.SessionClientName;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.runtime.tenant.DefaultTenantResolver;
import io.smallrye.mutiny.Uni;

/**
 * The Dev UI's JSON-RPC backend (dev mode only, registered by the deployment's Dev UI processor): what the session
 * store is connected to and configured with, and a tenant's session count by the purge's tenant scan.
 * <p>
 * Not a bean on its own: the Dev UI makes it one in dev mode, so it does not exist in production.
 */
public class RedisSessionJsonRpcService {

    /** The hint of an invalid tenant id typed into the Dev UI. */
    static final String TENANT_HINT = "type one tenant id exactly as the application resolves it; patterns such as "
            + "'acme*' are not accepted, the count never matches more than one tenant";

    @Inject
    SessionRedis redis;
    @Inject
    SessionClientName clientName;
    @Inject
    RedisSessionConfig config;
    @Inject
    TenantPurge purge;
    @Inject
    Instance<TenantResolver> resolver;

    /** The Redis address the sessions live at, without credentials (the card's label). */
    public String getAddress() {
        return redis.address();
    }

    /** The live configuration of the store: address, client, key prefix and tenant strategy. */
    public StoreInfo getInfo() {
        RedisSessionConfig.Tenant tenant = config.tenant();
        Class<?> resolverClass = resolver.getHandle().getBean().getBeanClass();
        boolean custom = !DefaultTenantResolver.class.equals(resolverClass);
        return new StoreInfo(redis.address(), redis.isCluster(), clientName.name(), config.keyPrefix(),
                custom ? "custom" : tenant.strategy().name().toLowerCase(Locale.ROOT),
                custom ? resolverClass.getName() : null, tenant.defaultTenant(),
                tenant.header(), tenant.hostSuffixes().orElse(List.of()));
    }

    /**
     * The tenant's sessions, counted like {@link TenantPurge#countSessions}: a SCAN of the tenant's escaped key
     * pattern on the server, or on every master of a cluster. An invalid tenant id, or Redis failing, is answered
     * with {@link SessionCount#error()} (not a JSON-RPC error: the Dev UI would log it as a server fault).
     */
    public Uni<SessionCount> countSessions(String tenant) {
        try {
            TenantIds.require(tenant, TENANT_HINT);
        } catch (InvalidTenantException e) {
            return Uni.createFrom().item(SessionCount.failed(tenant, e.getMessage()));
        }
        return purge.countSessions(tenant).map(count -> new SessionCount(tenant, count, null))
                .onFailure(SessionStoreUnavailableException.class).recoverWithItem(
                        failure -> SessionCount.failed(tenant, "Counting failed: "
                                + ErrorText.publicText(failure.getMessage(), config.keyPrefix())));
    }

    /**
     * @param address the configured hosts of the session client, without credentials
     * @param cluster whether the client is a Redis Cluster client
     * @param clientName the Quarkus Redis client of the sessions ({@code <default>} or its name)
     * @param keyPrefix {@code quarkus.redis-session.key-prefix}
     * @param tenantStrategy {@code fixed}, {@code header}, {@code host}, or {@code custom} (an application
     *        {@code TenantResolver} bean)
     * @param tenantResolver the class of the application's resolver when {@code custom}, else null
     * @param defaultTenant {@code quarkus.redis-session.tenant.default}
     * @param tenantHeader {@code quarkus.redis-session.tenant.header}
     * @param hostSuffixes {@code quarkus.redis-session.tenant.host-suffixes}
     */
    public record StoreInfo(String address, boolean cluster, String clientName, String keyPrefix,
            String tenantStrategy, String tenantResolver, String defaultTenant, String tenantHeader,
            List<String> hostSuffixes) {
    }

    /**
     * @param tenant the tenant id as typed
     * @param sessions how many sessions it has (approximate while Redis rehashes), null when {@code error}
     * @param error why there is no count, null when counted
     */
    public record SessionCount(String tenant, Long sessions, String error) {

        static SessionCount failed(String tenant, String error) {
            return new SessionCount(tenant, null, error);
        }
    }
}
