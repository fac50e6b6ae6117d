package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.redissession.InvalidTenantException;
import dev.redissession.TenantIds;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;

/**
 * The SCAN pattern of a purge: glob characters escaped, exact tenant boundaries, and what real Redis matches with it.
 */
class PurgePatternTest {

    private static final String ID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @Test
    void everyGlobCharacterIsEscapedAndNothingElse() {
        assertEquals("\\*", SessionKeys.escapeGlob("*"));
        assertEquals("\\?", SessionKeys.escapeGlob("?"));
        assertEquals("\\[", SessionKeys.escapeGlob("["));
        assertEquals("\\]", SessionKeys.escapeGlob("]"));
        assertEquals("\\\\", SessionKeys.escapeGlob("\\"));
        assertEquals("a\\*b\\?c\\[d\\]e\\\\f", SessionKeys.escapeGlob("a*b?c[d]e\\f"));
        assertEquals("plain:prefix-1.x_y{z}^!", SessionKeys.escapeGlob("plain:prefix-1.x_y{z}^!"));
        assertEquals("", SessionKeys.escapeGlob(""));
    }

    @Test
    void patternIsTheEscapedTenantPrefixThenOneStar() {
        assertEquals("session:acme:*", new SessionKeys("session:").scanPattern("acme"));
        assertEquals("s\\*\\[1\\]\\?\\\\:acme:*", new SessionKeys("s*[1]?\\:").scanPattern("acme"));
    }

    @Test
    void tenantIdsWithGlobCharactersAreRefused() {
        SessionKeys keys = new SessionKeys("session:");
        for (String bad : List.of("acme*", "ac?me", "[acme]", "acme]", "ac\\me", "*", "a:b", "", "x".repeat(65), ".", "..",
                "-acme", "_acme")) {
            assertThrows(InvalidTenantException.class, () -> keys.scanPattern(bad), bad);
            assertThrows(InvalidTenantException.class, () -> TenantIds.require(bad), bad);
        }
        assertThrows(InvalidTenantException.class, () -> keys.purgeFence("ac*me"));
        assertThrows(InvalidTenantException.class, () -> keys.purgeLock("ac*me"));
    }

    @Test
    void onlyWellFormedKeysOfExactlyTheTenantAreItsSessions() {
        SessionKeys keys = new SessionKeys("session:");
        assertTrue(keys.isSessionOf("session:acme:" + ID, "acme"));
        assertFalse(keys.isSessionOf("session:acme2:" + ID, "acme"));
        assertFalse(keys.isSessionOf("session:acm:" + ID, "acme"));
        assertFalse(keys.isSessionOf("session:acme:short", "acme"));
        assertFalse(keys.isSessionOf("session:acme:" + ID + ":x", "acme"));
        assertFalse(keys.isSessionOf("other:acme:" + ID, "acme"));
        assertFalse(keys.isSessionOf("session:#purge:acme", "acme"));
        assertFalse(keys.isSessionOf(keys.purgeLock("acme"), "acme"));
    }

    /** The escaped pattern, sent to a real Redis, matches the literal prefix only. */
    @Test
    void redisMatchesTheEscapedPatternLiterally() {
        RedisServer redis = TestRedis.standalone();
        String prefix = "ppt*[1]?\\:";
        SessionKeys keys = new SessionKeys(prefix);
        Set<String> mine = Set.of(prefix + "acme:" + ID, prefix + "acme:" + ID.replace('A', 'B'));
        // The first three match the unescaped pattern "ppt*[1]?\:acme:*"; none is under the literal prefix.
        List<String> lookalikes = List.of("pptXYZ1Q:acme:" + ID, "ppt1!:acme:" + ID, "ppt*1?:acme:" + ID,
                "ppt*[1]?\\:acme2:" + ID, "ppt*[1]?:acme:" + ID);
        try {
            mine.forEach(key -> redis.cli("SET", key, "{}", "PX", "60000"));
            lookalikes.forEach(key -> redis.cli("SET", key, "{}", "PX", "60000"));
            assertEquals(new TreeSet<>(lookalikes.subList(0, 3)),
                    scan(redis, "ppt*[1]?\\:acme:*"),
                    "unescaped, the pattern matches lookalikes and misses the real keys (the test data is meaningful)");
            assertEquals(new TreeSet<>(mine), scan(redis, keys.scanPattern("acme")));
        } finally {
            mine.forEach(key -> redis.cli("DEL", key));
            lookalikes.forEach(key -> redis.cli("DEL", key));
        }
    }

    private static Set<String> scan(RedisServer redis, String pattern) {
        Set<String> found = new TreeSet<>();
        String cursor = "0";
        do {
            List<String> lines = List.of(redis.cli("SCAN", cursor, "MATCH", pattern, "COUNT", "1000").split("\n"));
            cursor = lines.get(0);
            lines.subList(1, lines.size()).stream().filter(line -> !line.isEmpty()).forEach(found::add);
        } while (!"0".equals(cursor));
        return found;
    }
}
