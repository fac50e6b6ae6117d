package dev.redissession.runtime.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The path patterns of {@code quarkus.redis-session.passive-paths}: an exact path, or a prefix ending in {@code /*},
 * which matches the prefix itself and every path below it ({@code /api/status/*} matches {@code /api/status} and
 * {@code /api/status/jobs/7}; {@code /*} matches every path), as {@code quarkus.http.auth.permission} paths do.
 */
public final class PassivePaths {

    private final Set<String> exact = new HashSet<>();
    /** Each prefix with its trailing {@code /}: {@code /api/status/*} is kept as {@code /api/status/}. */
    private final List<String> prefixes = new ArrayList<>();

    /** @param patterns checked at startup ({@code SessionConfigCheck}): each starts with {@code /} */
    public PassivePaths(List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.endsWith("/*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
    }

    /** @param path the request path, without the query string */
    public boolean matches(String path) {
        if (exact.contains(path)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) || path.length() == prefix.length() - 1 && prefix.startsWith(path)) {
                return true;
            }
        }
        return false;
    }
}
