package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every {@code properties} block of the README and docs works when copied: comments stand on their own lines (a
 * trailing {@code # ...} would become part of the value) and each extension property exists in the generated
 * reference.
 */
class DocsPropertiesTest {

    private static final Pattern BLOCK = Pattern.compile("```properties\\n(.*?)```", Pattern.DOTALL);

    @Test
    void propertiesBlocksAreValidAsWritten() throws IOException {
        String reference = Files.readString(ConfigReferenceTest.COMMITTED);
        List<Path> files = new ArrayList<>(List.of(Path.of("../README.md")));
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        int blocks = 0;
        for (Path file : files) {
            Matcher block = BLOCK.matcher(Files.readString(file));
            while (block.find()) {
                blocks++;
                Properties properties = new Properties();
                properties.load(new StringReader(block.group(1)));
                for (String key : properties.stringPropertyNames()) {
                    String value = properties.getProperty(key);
                    assertFalse(value.contains("#") || value.matches(".*\\s.*"),
                            file + ": " + key + " has the value '" + value + "': a comment on the value's line?");
                    assertTrue(!key.startsWith("quarkus.redis-session.") || reference.contains("`" + key + "`"),
                            file + ": " + key + " is not a property of the extension (docs/config-reference.md)");
                }
            }
        }
        assertTrue(blocks >= 2, "the README's configuration blocks were found");
    }
}
