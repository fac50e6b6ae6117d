package dev.redissession.runtime.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Job errors and admin answers carry Redis's own error reply, never session keys, addresses or node ids. */
class ErrorTextTest {

    private static final String ID = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    private static final String KEY = "session:acme:" + ID;

    @Test
    void redisErrorRepliesAreKeptAndAddressesReplaced() {
        String text = ErrorText.publicText("Redis at redis://user:secret@10.1.2.3:6379 failed UNLINK: NOPERM this "
                + "user has no permissions to run the 'unlink' command", "session:");
        assertEquals("Redis at <redis> failed UNLINK: NOPERM this user has no permissions to run the 'unlink' command",
                text);
        String oom = "OOM command not allowed when used memory > 'maxmemory'.";
        assertEquals(oom, ErrorText.publicText(oom, "session:"));
        String timeout = "Redis at (quarkus.redis.hosts not set) failed EVAL: no answer within 5000 ms";
        assertEquals(timeout, ErrorText.publicText(timeout, "session:"));
        String script = "ERR user_script:1: Script attempted to access nonexistent global variable 'x'";
        assertEquals(script, ErrorText.publicText(script, "session:"));
    }

    @Test
    void clusterNodeAddressesAndIdsAreReplaced() {
        for (String message : new String[] { "MOVED 3999 127.0.0.1:6381", "Failed obtaining connection to: 10.0.0.7:7001",
                "Connection refused: localhost/127.0.0.1:6379", "connect to redis-2.cache.internal:6380 failed",
                "Connection refused: [fd00::17]:6379", "Connection refused: localhost:6379",
                "a SCAN meant for master 10.0.0.5:7000 (e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca) was answered by node "
                        + "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1" }) {
            String text = ErrorText.publicText(message, "session:");
            assertFalse(text.matches(".*\\d+\\.\\d+\\.\\d+\\.\\d+.*") || text.contains("localhost")
                    || text.contains("cache.internal") || text.contains("fd00") || text.contains("e7d1ee")
                    || text.contains("67ed2d") || text.matches(".*:\\d{4}.*"), message + " -> " + text);
        }
        assertEquals("MOVED 3999 <address>", ErrorText.publicText("MOVED 3999 127.0.0.1:6381", "session:"));
    }

    @Test
    void sessionKeysAreReplacedWhateverThePrefix() {
        // Vert.x puts the encoded request (RESP, keys included) into some of its messages.
        String message = "Redis command is not valid, check https://redis.io/commands: *3\r\n$6\r\nUNLINK\r\n$45\r\n"
                + KEY + "\r\n$45\r\nsession:acme:" + ID.toLowerCase() + "\r\n";
        String text = ErrorText.publicText(message, "session:");
        assertFalse(text.contains(ID) || text.contains(ID.toLowerCase()) || text.contains("session:acme"), text);
        assertTrue(text.startsWith("Redis command is not valid, check https://redis.io/commands:"), text);
        assertTrue(text.contains("UNLINK $45 <key> $45 <key>"), text);
        assertEquals("CROSSSLOT <key>", ErrorText.publicText("CROSSSLOT acme:" + ID, ""));
        assertEquals("MOVED 12 <key>", ErrorText.publicText("MOVED 12 s{1}*:acme:" + ID, "s{1}*:"));
    }

    @Test
    void theLogKeepsAddressesButCutsSessionIds() {
        String log = ErrorText.logText("Redis at redis://10.1.2.3:6379 failed UNLINK: ERR on " + KEY, "session:");
        assertEquals("Redis at redis://10.1.2.3:6379 failed UNLINK: ERR on session:acme:AbCd...", log);
        assertFalse(ErrorText.logText("ERR on acme:" + ID, "").contains(ID));
    }
}
