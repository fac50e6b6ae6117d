package dev.redissession.runtime.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PassivePathsTest {

    @Test
    void anExactPathMatchesItselfOnly() {
        PassivePaths paths = new PassivePaths(List.of("/api/poll"));
        assertTrue(paths.matches("/api/poll"));
        assertFalse(paths.matches("/api/poll/"));
        assertFalse(paths.matches("/api/polls"));
        assertFalse(paths.matches("/api"));
    }

    @Test
    void aPrefixMatchesItselfAndEverythingBelowIt() {
        PassivePaths paths = new PassivePaths(List.of("/api/status/*", "/other"));
        assertTrue(paths.matches("/api/status"));
        assertTrue(paths.matches("/api/status/"));
        assertTrue(paths.matches("/api/status/jobs/7"));
        assertTrue(paths.matches("/other"));
        assertFalse(paths.matches("/api/statuses"));
        assertFalse(paths.matches("/api"));
        assertFalse(paths.matches("/"));
    }

    @Test
    void slashStarMatchesEveryPathAndNoPatternsMatchNone() {
        assertTrue(new PassivePaths(List.of("/*")).matches("/"));
        assertTrue(new PassivePaths(List.of("/*")).matches("/a/b"));
        assertFalse(new PassivePaths(List.of()).matches("/"));
    }
}
