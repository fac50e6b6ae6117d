package dev.redissession.it.firsthour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/testing.md shows this module's resource and test: each of those Java blocks is in the sources, up to the
 * spacing (the build's formatter aligns comments differently from the page).
 */
class DocumentedCodeTest {

    private static final Path DOC = Path.of("../../docs/testing.md");

    @Test
    void theDocumentedResourceAndTestAreTheOnesThatRun() throws IOException {
        String sources = spaced(Files.readString(Path.of("src/main/java/dev/redissession/it/firsthour/AccountResource.java"))
                + Files.readString(Path.of("src/test/java/dev/redissession/it/firsthour/AccountTest.java")));
        List<String> blocks = javaBlocksMentioning("AccountResource", "AccountTest");
        assertEquals(2, blocks.size(), "docs/testing.md should show AccountResource and AccountTest, found " + blocks.size());
        for (String block : blocks) {
            assertTrue(sources.contains(spaced(block)), "docs/testing.md shows code that this module does not run:\n" + block);
        }
    }

    private static String spaced(String code) {
        return code.replaceAll("\\s+", " ");
    }

    private static List<String> javaBlocksMentioning(String... classNames) throws IOException {
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            for (String name : classNames) {
                if (m.group(1).contains("class " + name + " ") || m.group(1).contains("class " + name + "\n")) {
                    blocks.add(m.group(1));
                    break;
                }
            }
        }
        return blocks;
    }
}
