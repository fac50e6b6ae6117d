package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.runtime.store.LuaScripts;
import dev.redissession.testing.TestRedis;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Every script of {@link LuaScripts} is a native-image resource: a script left out would be missing from a native
 * executable, which loads it at run time, and no native build runs here to notice.
 */
class NativeImageResourcesTest {

    /** What the application's build registered, written by the build step below, read by the test in the app. */
    private static final String REGISTERED = "native-image-resources-of-the-build.txt";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(TestRedis.standalone(), SessionServlet.class)
            // The test runs inside the app and the build step outside it, so a generated resource carries the list.
            .addBuildChainCustomizer(chain -> chain.addBuildStep(context -> {
                String paths = String.join("\n", context.consumeMulti(NativeImageResourceBuildItem.class).stream()
                        .flatMap(item -> item.getResources().stream()).toList());
                context.produce(new GeneratedResourceBuildItem(REGISTERED, paths.getBytes(StandardCharsets.UTF_8)));
            }).consumes(NativeImageResourceBuildItem.class).produces(GeneratedResourceBuildItem.class).build());

    @Test
    void everyLuaScriptIsANativeImageResource() throws IOException {
        Set<String> registered;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(REGISTERED)) {
            registered = Set.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        List<String> missing = Stream.of(LuaScripts.values()).map(LuaScripts::resourcePath)
                .filter(path -> !registered.contains(path)).toList();
        assertTrue(missing.isEmpty(), "not registered for the native image: " + missing + "; registered: " + registered);
    }
}
