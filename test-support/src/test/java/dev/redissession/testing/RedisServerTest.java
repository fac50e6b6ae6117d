package dev.redissession.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsAndStops() {
        RedisServer server = RedisServer.start();
        Path dir = server.dir();
        assertEquals("PONG", server.cli("PING"));
        assertEquals("redis://127.0.0.1:" + server.port(), server.uri());
        assertTrue(server.port() < 55000);
        assertTrue(server.isRunning());

        server.stop();
        assertFalse(server.isRunning());
        assertFalse(Files.exists(dir), "temp dir deleted");
        RedisCliException e = assertThrows(RedisCliException.class, () -> server.cli(Duration.ofSeconds(2), "PING"));
        assertFalse(e.timedOut(), "refused, not hanging");
        server.stop(); // idempotent
    }

    @Test
    void countsCommands() {
        try (RedisServer server = RedisServer.start()) {
            server.cli("SET", "a", "1");
            server.resetStats();
            assertEquals("OK", server.cli("SET", "k", "v"));
            assertEquals("v", server.cli("GET", "k"));
            assertEquals("", server.cli("GET", "missing"), "nil prints as empty with --raw");
            assertEquals(1, server.commandCalls("set"));
            assertEquals(1, server.commandCalls("SET"));
            assertEquals(2, server.commandStats().get("get"));
            assertEquals(0, server.commandCalls("del"));
            assertEquals(2, server.dbSize());
            server.flushAll();
            assertEquals(0, server.dbSize());
        }
    }

    @Test
    void errorReplyThrows() {
        try (RedisServer server = RedisServer.start()) {
            server.cli("SET", "s", "x");
            RedisCliException e = assertThrows(RedisCliException.class, () -> server.cli("LPUSH", "s", "y"));
            assertTrue(e.output().contains("WRONGTYPE"), e.output());
        }
    }

    @Test
    void pauseMakesServerHang() {
        try (RedisServer server = RedisServer.start()) {
            server.pause();
            RedisCliException e = assertThrows(RedisCliException.class,
                    () -> server.cli(Duration.ofMillis(500), "PING"));
            assertTrue(e.timedOut());
            assertTrue(server.isRunning());
            server.resume();
            assertEquals("PONG", server.cli("PING"));
            server.pause(); // stop() must also cope with a paused server
        }
    }

    @Test
    void restartsOnSamePort() {
        try (RedisServer server = RedisServer.start()) {
            int port = server.port();
            long pid = server.pid();
            server.cli("SET", "k", "v");
            server.restart();
            assertEquals(port, server.port());
            assertTrue(pid != server.pid(), "new process");
            assertEquals("PONG", server.cli("PING"));
            assertEquals(0, server.dbSize(), "persistence is off");
        }
    }

    @Test
    void restartsAfterStop() {
        try (RedisServer server = RedisServer.start()) {
            server.stop();
            server.restart();
            assertEquals("PONG", server.cli("PING"));
            assertTrue(Files.isDirectory(server.dir()), "temp dir made again");
        }
    }

    @Test
    void anAdoptedHandleDrivesTheSameProcess() {
        try (RedisServer server = RedisServer.start()) {
            // what the second class loader of a test gets from TestRedis.dedicated
            RedisServer adopted = RedisServer.adopt(server.port(), server.dir());
            assertEquals(server.pid(), adopted.pid());
            adopted.pause();
            assertTrue(assertThrows(RedisCliException.class, () -> server.cli(Duration.ofMillis(500), "PING"))
                    .timedOut());
            adopted.restart(); // resumes, shuts down and relaunches
            assertTrue(adopted.pid() != server.pid(), "new process");
            assertFalse(server.isRunning(), "the first process is gone");
            assertEquals("PONG", server.cli("PING"), "same port");
            Path dir = adopted.dir();
            adopted.stop();
            assertFalse(Files.exists(dir), "temp dir deleted");
            assertEquals(null, RedisServer.adopt(server.port(), dir), "nothing left to adopt");
        }
    }

    @Test
    void aSharedHandleRefusesFaultsAndIgnoresStop() {
        try (RedisServer server = RedisServer.start()) {
            RedisServer shared = server.shared();
            assertThrows(UnsupportedOperationException.class, shared::pause);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, shared::restart);
            assertTrue(e.getMessage().contains("TestRedis.dedicated"), e.getMessage());
            shared.stop();
            assertTrue(server.isRunning());
            assertEquals("PONG", shared.cli("PING"));
        }
    }

    @Test
    void extraArgsOverrideDefaults() {
        try (RedisServer server = RedisServer.start("--maxmemory", "12mb")) {
            assertEquals("maxmemory\n12582912", server.cli("CONFIG", "GET", "maxmemory"));
        }
    }

    @Test
    void missingBinaryExplainsInstall() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Exec.binary("redis-server-missing"));
        assertTrue(e.getMessage().contains("apt-get install -y redis-server"), e.getMessage());
    }

    @Test
    void parsesCommandStats() {
        String info = "# Commandstats\r\ncmdstat_set:calls=3,usec=5,usec_per_call=1.67,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_client|setname:calls=1,usec=1\r\n";
        var stats = RedisCli.commandStats(info);
        assertEquals(3, stats.get("set"));
        assertEquals(1, stats.get("client|setname"));
    }
}
