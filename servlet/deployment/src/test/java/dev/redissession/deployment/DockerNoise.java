package dev.redissession.deployment;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/** The WARN and ERROR records of a log that are about Docker or Testcontainers, which a machine without Docker must not see. */
public final class DockerNoise {

    private static final Pattern DOCKER = Pattern.compile("(?is).*(docker|testcontainers|container runtime).*");

    private DockerNoise() {
    }

    /** @return each such record as "LEVEL logger: message", for an assertion message that shows them */
    public static List<String> in(List<LogRecord> records) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> DOCKER.matcher(r.getLoggerName() + " " + r.getMessage()).matches())
                .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage())
                .toList();
    }
}
