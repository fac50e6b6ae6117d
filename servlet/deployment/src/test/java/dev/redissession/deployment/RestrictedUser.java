package dev.redissession.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.redissession.testing.RedisServer;

/**
 * The restricted ACL user exactly as {@code docs/tls-and-acl.md} documents it (its {@code ACL SETUSER} line is read
 * from there, so the documented rules are the tested ones), created on servers a test started.
 */
final class RestrictedUser {

    static final String NAME = "session-app";
    /** A constant: both class loaders of a Quarkus test must agree on it. */
    static final String PASSWORD = "restricted-user-test-password";
    static final Path DOC = Path.of("../../docs/tls-and-acl.md");
    private static final String PLACEHOLDER = ">CHANGE-ME";

    private RestrictedUser() {
    }

    /** The documented rules after {@code ACL SETUSER session-app}, with the test's password. */
    static List<String> documentedRules() {
        String prefix = "ACL SETUSER " + NAME + " ";
        try {
            String line = Files.readAllLines(DOC).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError(DOC + " has no line starting with '" + prefix + "'"));
            List<String> rules = new ArrayList<>(Arrays.asList(line.substring(prefix.length()).trim().split("\\s+")));
            if (!rules.contains(PLACEHOLDER)) {
                throw new AssertionError(DOC + ": the documented user should set the password " + PLACEHOLDER);
            }
            rules.replaceAll(rule -> rule.equals(PLACEHOLDER) ? ">" + PASSWORD : rule);
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates (or resets) the user on {@code server} and empties its {@code ACL LOG}. */
    static void createOn(RedisServer server) {
        List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", NAME));
        command.addAll(documentedRules());
        server.cli(command.toArray(String[]::new));
        server.cli("ACL", "LOG", "RESET");
    }

    /** {@code redis://host:port} with the user's credentials. */
    static String uri(RedisServer server) {
        return "redis://" + NAME + ":" + PASSWORD + "@" + server.host() + ":" + server.port();
    }
}
