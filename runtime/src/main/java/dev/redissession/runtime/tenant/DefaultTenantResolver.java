package dev.redissession.runtime.tenant;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redissession.InvalidTenantException;
import dev.redissession.SessionRequest;
import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.config.RedisSessionConfig;
import io.quarkus.arc.DefaultBean;

/**
 * The configured built-in tenant strategy ({@code quarkus.redis-session.tenant.strategy}); replaced by any
 * {@link TenantResolver} bean of the application. An invalid tenant fails with a hint that is true for the strategy.
 * The same for every door: it reads only the neutral {@link SessionRequest}.
 */
@Singleton
@DefaultBean
public class DefaultTenantResolver implements TenantResolver {

    @Inject
    RedisSessionConfig config;

    @Override
    public String resolve(SessionRequest request) {
        RedisSessionConfig.Tenant tenant = config.tenant();
        return switch (tenant.strategy()) {
            case FIXED -> TenantIds.require(tenant.defaultTenant(), "set quarkus.redis-session.tenant.default");
            case HEADER -> named(single(request, tenant.header()),
                    "send a valid tenant id in the " + tenant.header() + " header");
            case HOST -> named(fromHost(request.host(), tenant.hostSuffixes().orElse(List.of())),
                    "use a host name whose first label is a valid tenant id");
        };
    }

    /** The header's one value, {@code null} without it. */
    private static String single(SessionRequest request, String header) {
        List<String> values = request.headers(header);
        if (values.size() > 1) {
            throw InvalidTenantException.ambiguous(header, values.size());
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private String named(String named, String hint) {
        if (named == null || named.isEmpty()) {
            return TenantIds.require(config.tenant().defaultTenant(), "set quarkus.redis-session.tenant.default");
        }
        return TenantIds.require(named, hint);
    }

    /**
     * {@code Acme.example.com} gives {@code acme} (host names are case-insensitive); an IP address names none. With
     * suffixes, the host must be {@code <tenant>.<suffix>} for one of them.
     */
    private static String fromHost(String host, List<String> suffixes) {
        if (host == null || host.isEmpty() || host.startsWith("[") || host.contains(":")
                || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (suffixes.isEmpty()) {
            int dot = name.indexOf('.');
            return dot < 0 ? name : name.substring(0, dot);
        }
        for (String suffix : suffixes) {
            String parent = "." + suffix.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
            if (name.endsWith(parent) && name.length() > parent.length()
                    && name.indexOf('.') == name.length() - parent.length()) {
                return name.substring(0, name.length() - parent.length());
            }
        }
        throw new InvalidTenantException(host, "the Host must be <tenant>.<suffix> for a suffix in "
                + "quarkus.redis-session.tenant.host-suffixes " + suffixes);
    }
}
