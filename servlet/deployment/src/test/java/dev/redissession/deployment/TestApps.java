package dev.redissession.deployment;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.redissession.runtime.store.LuaScripts;
import dev.redissession.testing.RedisCluster;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.contract.ContractRequests;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;

/** Test applications wired to the test rig's real Redis. */
public final class TestApps {

    private TestApps() {
    }

    /** An app of these classes on a random HTTP port, with no Redis dev services (no Docker here). */
    public static QuarkusUnitTest app(Class<?>... classes) {
        return new QuarkusUnitTest()
                // The test class runs again inside the app, where only archived test classes exist.
                .withApplicationRoot(jar -> jar.addClasses(classes).addClass(TestApps.class))
                .overrideConfigKey("quarkus.http.test-port", "0")
                .overrideConfigKey("quarkus.redis.devservices.enabled", "false")
                // Off unless a test is about it: its periodic EVALSHA would land in the command counts of others.
                .overrideConfigKey("quarkus.redis-session.expiry-sweep-interval", "0");
    }

    public static QuarkusUnitTest on(RedisServer redis, Class<?>... classes) {
        return app(classes).overrideConfigKey("quarkus.redis.hosts", redis.uri());
    }

    public static QuarkusUnitTest on(RedisCluster cluster, Class<?>... classes) {
        return app(classes).overrideConfigKey("quarkus.redis.hosts", cluster.hosts())
                .overrideConfigKey("quarkus.redis.client-type", "cluster");
    }

    /** The readiness check's extension, added to the apps of the health tests only. */
    public static final String HEALTH = "quarkus-smallrye-health";
    /** Micrometer with the Prometheus registry ({@code /q/metrics}), added to the apps of the metrics tests only. */
    public static final String PROMETHEUS = "quarkus-micrometer-registry-prometheus";

    /**
     * The app with these Quarkus extensions (e.g. {@link #HEALTH}) on top of the test classpath: only the tests that
     * need them pay for them, and every other app shows the extension without its optional integrations.
     */
    public static QuarkusUnitTest with(QuarkusUnitTest app, String... quarkusExtensions) {
        return app.setForcedDependencies(java.util.Arrays.stream(quarkusExtensions)
                .map(artifact -> Dependency.of("io.quarkus", artifact, Version.getVersion())).toList());
    }

    /** {@link ContractRequests#sessionCommands}: what the requests cost in Redis commands. */
    public static Map<String, Long> sessionCommands(RedisServer redis) {
        return ContractRequests.sessionCommands(redis);
    }

    /** The store's Lua scripts, for tests that load them first so no write takes the NOSCRIPT detour. */
    public static List<String> storeScripts() {
        return Stream.of(LuaScripts.CREATE_SESSION, LuaScripts.WRITE_SESSION, LuaScripts.END_SESSION).map(LuaScripts::text)
                .toList();
    }
}
