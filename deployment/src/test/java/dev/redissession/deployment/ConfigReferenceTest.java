package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Keeps docs/config-reference.md equal to what the Quarkus config-doc plugin generates from the config mappings
 * (process-classes phase of this module), so a changed property or Javadoc cannot leave the reference stale.
 */
class ConfigReferenceTest {

    static final Path GENERATED = Path.of("target/config-doc/quarkus-redis-session.md");
    static final Path COMMITTED = Path.of("../docs/config-reference.md");

    @Test
    void committedReferenceIsTheGeneratedOne() throws IOException {
        assertTrue(Files.exists(GENERATED), GENERATED.toAbsolutePath() + " is missing: build with the runtime module "
                + "in the reactor (e.g. ./mvnw -pl deployment -am verify)");
        assertEquals(Files.readString(GENERATED), Files.readString(COMMITTED),
                "docs/config-reference.md is stale (or the runtime module was not in the reactor): cp deployment/"
                        + GENERATED + " docs/config-reference.md");
    }
}
