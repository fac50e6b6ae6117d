package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application without any Redis configuration: Dev Services start a private redis-server, and Quarkus'
 * container Dev Services never look for Docker.
 */
class DevServicesTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SessionServlet.class, Sessions.class))
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.redis-session.tenant.default", "dev-services-test")
            .setLogRecordPredicate(r -> true)
            .assertLogRecords(DevServicesTest::noDockerProbe);

    @Inject
    RedisDataSource redis;

    @Test
    void sessionsLiveInTheRedisServerTheExtensionStarted() {
        URI hosts = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class));
        assertEquals("127.0.0.1", hosts.getHost());
        assertNotEquals(6379, hosts.getPort(), "never the machine's own Redis");
        long pid = Long.parseLong(redis.execute("INFO", "server").toString()
                .replaceAll("(?s).*process_id:(\\d+).*", "$1"));
        assertTrue(ProcessHandle.current().descendants().anyMatch(p -> p.pid() == pid),
                "the Redis at " + hosts + " (pid " + pid + ") is a child process of this JVM");

        String id = Sessions.put(null, "cart", "[1,2]");
        String stored = redis.value(String.class).get("session:dev-services-test:" + id);
        assertTrue(stored != null && stored.contains("\"cart\":[1,2]"), "stored there: " + stored);
    }

    private static void noDockerProbe(List<LogRecord> records) {
        assertTrue(records.stream().noneMatch(r -> r.getLoggerName().startsWith("org.testcontainers")
                || r.getLoggerName().contains("DevServicesRedisProcessor")), "Quarkus' container Dev Services stayed quiet");
        assertTrue(records.stream().anyMatch(r -> r.getLoggerName().endsWith("LocalRedisServer")
                && r.getMessage().contains("started")), "the start is logged with the address");
    }
}
