package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/** A missing program makes the browser test fail with its name and the install command, never skip. */
class BinariesTest {

    @Test
    void aMissingProgramIsNamedWithTheInstallCommand() {
        AssertionError missing = assertThrows(AssertionError.class, () -> Binaries.require("no-such-program-4711"));
        assertTrue(missing.getMessage().startsWith("This test needs the program 'no-such-program-4711', which is not"
                + " on the PATH"), missing.getMessage());
        assertTrue(missing.getMessage().contains("sudo apt-get install -y chromium chromium-driver haproxy"),
                missing.getMessage());
    }

    @Test
    void aProgramOnThePathIsFound() {
        assertTrue(Files.isExecutable(Binaries.require("sh")));
        assertEquals("sh", Binaries.require("sh").getFileName().toString());
    }
}
