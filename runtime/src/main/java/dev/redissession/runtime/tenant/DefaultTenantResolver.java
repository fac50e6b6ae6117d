package dev.redissession.runtime.tenant;

import dev.redissession.runtime.config.RedisSessionConfig;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;

import dev.redissession.TenantResolver;
import io.quarkus.arc.DefaultBean;

/**
 * The configured built-in tenant strategy ({@code quarkus.redis-session.tenant.strategy}); replaced by any
 * {@link TenantResolver} bean of the application.
 */
@Singleton
@DefaultBean
public class DefaultTenantResolver implements TenantResolver {

    @Inject
    RedisSessionConfig config;

    @Override
    public String resolve(HttpServletRequest request) {
        RedisSessionConfig.Tenant tenant = config.tenant();
        String named = switch (tenant.strategy()) {
            case FIXED -> null;
            case HEADER -> request.getHeader(tenant.header());
            case HOST -> firstLabel(request.getServerName());
        };
        return named == null || named.isEmpty() ? tenant.defaultTenant() : named;
    }

    /** {@code Acme.example.com} gives {@code acme} (host names are case-insensitive); an IP address names none. */
    private static String firstLabel(String host) {
        if (host == null || host.isEmpty() || host.startsWith("[") || host.contains(":")
                || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return null;
        }
        int dot = host.indexOf('.');
        return (dot < 0 ? host : host.substring(0, dot)).toLowerCase(Locale.ROOT);
    }
}
