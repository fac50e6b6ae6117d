package dev.redissession.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.redissession.TenantIds;
import io.quarkus.redis.runtime.client.config.RedisConfig;

/**
 * The rules of every run-time {@code quarkus.redis-session.*} value and of the session client's hosts, checked once
 * at startup so a bad value stops the application instead of failing each request.
 */
public final class SessionConfigCheck {

    private static final String PREFIX = "quarkus.redis-session.";
    /** No spaces, glob characters ({@code * ? [ ] \}) or hash-tag braces, which would pin every key to one slot. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern COOKIE_PATH = Pattern.compile("/[^;\\s]*");
    /** An exact path, or a prefix ending in {@code /*}; no other {@code *}, no query or fragment. */
    private static final Pattern PASSIVE_PATH = Pattern.compile("/\\*|/[^*?#\\s]*(/\\*)?");
    private static final Pattern DOMAIN = Pattern.compile("\\.?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** {@code quarkus.redis.max-pool-size} when it is not set. */
    private static final int DEFAULT_POOL_SIZE = 6;

    private final List<String> problems = new ArrayList<>();

    private SessionConfigCheck() {
    }

    /**
     * @param clientName the Quarkus Redis client of the sessions ({@code <default>} for the default one)
     * @param rawConfig raw configuration lookup, empty when a property is absent or empty
     * @throws IllegalStateException naming each wrong property, its value and its rule
     */
    public static void require(RedisSessionConfig config, String clientName,
            Function<String, Optional<String>> rawConfig) {
        List<String> problems = problems(config);
        hostsProblem(clientName, rawConfig).ifPresent(problems::add);
        poolProblem(config, clientName, rawConfig).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Redis session configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** One line per value that breaks its rule: the property, the value, the rule. */
    public static List<String> problems(RedisSessionConfig config) {
        SessionConfigCheck check = new SessionConfigCheck();
        check.matches("key-prefix", config.keyPrefix(), KEY_PREFIX,
                "1 to 64 letters, digits or . _ - : / (no spaces, no glob characters * ? [ ] \\, no { })");
        check.durationInSeconds("idle-timeout", config.idleTimeout());
        check.atLeast("max-lifetime", config.maxLifetime(), ONE_SECOND);
        check.atLeast("timeout", config.timeout(), Duration.ofMillis(1));
        check.atLeast("health.timeout", config.health().timeout(), Duration.ofMillis(1));
        check.atLeast("touch-interval", config.touchInterval(), Duration.ZERO);
        check.atLeast("max-write-retries", config.maxWriteRetries(), 0);
        check.atLeast("replica-acks", config.replicaAcks(), 0);
        check.atLeast("replica-ack-timeout", config.replicaAckTimeout(), Duration.ofMillis(1));
        if (config.replicaAckTimeout().compareTo(config.timeout()) >= 0) {
            check.problem("replica-ack-timeout", config.replicaAckTimeout().toString(), "must be less than "
                    + PREFIX + "timeout (" + config.timeout() + "), which bounds a write and its WAIT together");
        }
        check.matches("tenant.default", config.tenant().defaultTenant(), TenantIds.PATTERN,
                "1 to 64 letters, digits or . _ -, starting with a letter or digit (the rule of every tenant id)");
        check.matches("tenant.header", config.tenant().header(), HEADER, "an HTTP header name");
        RedisSessionConfig.Purge purge = config.purge();
        check.purge(purge.scanCount(), purge.deleteBatch(), purge.rateLimit(), purge.lockLease(), purge.jobRetention(),
                purge.maxConcurrentCommands());
        check.atLeast("connections", config.connections(), 1);
        check.atLeast("max-size", (int) Math.min(Integer.MAX_VALUE, config.maxSize().asLongValue()), 1024);
        check.atLeast("max-attributes", config.maxAttributes(), 1);
        RedisSessionConfig.Anonymous anonymous = config.anonymous();
        check.atLeast("anonymous.max-size", (int) Math.min(Integer.MAX_VALUE, anonymous.maxSize().asLongValue()), 1024);
        check.durationInSeconds("anonymous.idle-timeout", anonymous.idleTimeout());
        anonymous.creationsPerMinute().ifPresent(limit -> check.atLeast("anonymous.creations-per-minute", limit, 1));
        config.cookie().name().ifPresent(name -> check.matches("cookie.name", name, HEADER, "a cookie name (a token)"));
        config.cookie().path().ifPresent(path -> check.matches("cookie.path", path, COOKIE_PATH,
                "a path starting with / (no ; or spaces)"));
        config.passivePaths().ifPresent(paths -> paths.forEach(path -> check.matches("passive-paths", path,
                PASSIVE_PATH, "an exact path or a prefix ending in /*, starting with / (e.g. /api/poll or /api/status/*)")));
        config.cookie().name().filter(name -> config.transport() != RedisSessionConfig.Transport.HEADER)
                .flatMap(name -> cookiePrefixProblem(name, config.cookie().path().orElse("/"),
                        config.cookie().domain().orElse(null), config.cookie().secure()))
                .ifPresent(check.problems::add);
        config.tenant().hostSuffixes().ifPresent(suffixes -> suffixes.forEach(suffix -> check.matches(
                "tenant.host-suffixes", suffix, DOMAIN, "domain names such as example.com")));
        return check.problems;
    }

    /**
     * The rules of the {@code purge.*} values, for the purge's settings built without the configuration (the
     * benchmark builds them by hand): one line per broken rule, as {@link #problems} gives them.
     */
    public static List<String> purgeProblems(int scanCount, int deleteBatch, Optional<Integer> rateLimit,
            Duration lockLease, Duration jobRetention, int maxConcurrentCommands) {
        SessionConfigCheck check = new SessionConfigCheck();
        check.purge(scanCount, deleteBatch, rateLimit, lockLease, jobRetention, maxConcurrentCommands);
        return check.problems;
    }

    private void purge(int scanCount, int deleteBatch, Optional<Integer> rateLimit, Duration lockLease,
            Duration jobRetention, int maxConcurrentCommands) {
        atLeast("purge.scan-count", scanCount, 1);
        atLeast("purge.delete-batch", deleteBatch, 1);
        rateLimit.ifPresent(limit -> atLeast("purge.rate-limit", limit, 1));
        atLeast("purge.lock-lease", lockLease, Duration.ofMillis(300));
        atLeast("purge.job-retention", jobRetention, ONE_SECOND);
        atLeast("purge.max-concurrent-commands", maxConcurrentCommands, 1);
    }

    /**
     * The rules browsers enforce for a cookie name's prefix (RFC 6265bis): a {@code __Host-} cookie must be
     * {@code Secure}, have {@code Path=/} and no {@code Domain}; a {@code __Secure-} cookie must be {@code Secure}.
     * Browsers silently drop a cookie that breaks them, so the session would never stick.
     *
     * @param path the cookie's path ({@code /} when none is configured); @param domain {@code null} for none
     */
    public static Optional<String> cookiePrefixProblem(String name, String path, String domain,
            RedisSessionConfig.Cookie.Secure secure) {
        boolean host = name.startsWith("__Host-");
        if (!host && !name.startsWith("__Secure-")) {
            return Optional.empty();
        }
        List<String> broken = new ArrayList<>(3);
        if (secure != RedisSessionConfig.Cookie.Secure.ALWAYS) {
            broken.add(PREFIX + "cookie.secure=always (it is " + secure.name().toLowerCase(java.util.Locale.ROOT)
                    + (secure == RedisSessionConfig.Cookie.Secure.AUTO ? ", which leaves Secure off on plain-HTTP "
                            + "requests" : "")
                    + ")");
        }
        if (host && !"/".equals(path)) {
            broken.add("Path=/ (it is " + path + ")");
        }
        if (host && domain != null) {
            broken.add("no Domain (it is " + domain + ")");
        }
        return broken.isEmpty() ? Optional.empty()
                : Optional.of("The session cookie " + name + " needs " + String.join(", ", broken) + ": browsers "
                        + "drop a " + (host ? "__Host-" : "__Secure-") + " cookie without "
                        + (host ? "Secure, Path=/ and no Domain" : "Secure") + ", so no session would stick");
    }

    /** The session client must name its Redis: without it the first session request would fail, not the start. */
    public static Optional<String> hostsProblem(String clientName, Function<String, Optional<String>> rawConfig) {
        String hosts = RedisConfig.getPropertyName(clientName, "hosts");
        String provider = RedisConfig.getPropertyName(clientName, "hosts-provider-name");
        if (rawConfig.apply(hosts).isPresent() || rawConfig.apply(provider).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(hosts + " is not set: the Redis session store needs the address of its Redis (e.g. "
                + hosts + "=redis://redis:6379, or " + provider + "). In dev and test mode Dev Services provide it"
                + " (redis-server on the PATH, or a container)");
    }

    /**
     * The warning when {@code web.xml} and {@code quarkus.redis-session.idle-timeout} both set the idle timeout and
     * differ: {@code web.xml} wins, as it does in any servlet container.
     *
     * @param webXmlMinutes {@code web.xml}'s {@code <session-timeout>}, {@code null} when it has none
     * @param propertySet whether the property was set rather than defaulted
     */
    public static Optional<String> timeoutConflict(Integer webXmlMinutes, Duration property, boolean propertySet) {
        if (webXmlMinutes == null || !propertySet
                || webXmlMinutes > 0 && Duration.ofMinutes(webXmlMinutes).equals(property)) {
            return Optional.empty();
        }
        return Optional.of("web.xml <session-config><session-timeout>" + webXmlMinutes + "</session-timeout> ("
                + (webXmlMinutes > 0 ? webXmlMinutes + " minutes" : "no idle timeout") + ") and " + PREFIX
                + "idle-timeout=" + property + " both set the sessions' idle timeout: web.xml's is used. Remove one "
                + "of them so the configuration says what happens");
    }

    /**
     * Each of the store's connections holds one connection of the client's pool (per node on a cluster) for good: at
     * least one must stay free for the purge and for reconnecting, or they would wait forever.
     */
    static Optional<String> poolProblem(RedisSessionConfig config, String clientName,
            Function<String, Optional<String>> rawConfig) {
        String property = RedisConfig.getPropertyName(clientName, "max-pool-size");
        int pool;
        try {
            pool = rawConfig.apply(property).map(String::trim).map(Integer::parseInt).orElse(DEFAULT_POOL_SIZE);
        } catch (NumberFormatException e) {
            return Optional.empty(); // the Redis client reports its own property
        }
        if (config.connections() < pool) {
            return Optional.empty();
        }
        return Optional.of(PREFIX + "connections='" + config.connections() + "': must be less than " + property + " ("
                + pool + "): each holds one pooled connection for good, and the purge and reconnects need one more");
    }

    private void matches(String property, String value, Pattern rule, String ruleText) {
        if (value == null || !rule.matcher(value).matches()) {
            problem(property, value, "must be " + ruleText);
        }
    }

    private void atLeast(String property, int value, int min) {
        if (value < min) {
            problem(property, String.valueOf(value), "must be at least " + min);
        }
    }

    private void atLeast(String property, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            problem(property, value.toString(), "must be at least " + min + " (Quarkus duration format, e.g. 30M, 8H, 5S)");
        }
    }

    /** A servlet max-inactive-interval: whole seconds that fit an int, at least one. */
    private void durationInSeconds(String property, Duration value) {
        atLeast(property, value, ONE_SECOND);
        if (value.toSeconds() > Integer.MAX_VALUE) {
            problem(property, value.toString(), "must be at most " + Integer.MAX_VALUE + " seconds");
        }
    }

    private void problem(String property, String value, String rule) {
        problems.add(PREFIX + property + "=" + (value == null ? "(empty)" : "'" + value + "'") + ": " + rule);
    }
}
