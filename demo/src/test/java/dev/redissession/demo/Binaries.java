package dev.redissession.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the system programs a test drives, or fails saying which one is missing and how to install it. */
final class Binaries {

    /** What installs every program the browser test needs on Debian/Ubuntu (and what .ci/run runs). */
    static final String INSTALL = "apt-get install -y chromium chromium-driver haproxy";

    private Binaries() {
    }

    /** The executable {@code name} on the PATH, or in /usr/sbin and /sbin (haproxy lives there; not every PATH has them). */
    static Path require(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("This test needs the program '" + name + "', which is not on the PATH (" + dirs
                + "). Install it, e.g. `sudo " + INSTALL + "` (.ci/run does that in CI), then run the test again.");
    }
}
