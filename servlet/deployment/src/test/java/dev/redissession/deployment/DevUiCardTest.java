package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.runtime.devui.RedisSessionJsonRpcService;
import dev.redissession.testing.FreePorts;
import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * The Dev UI card in dev mode: registered with its build-time data and page, and its JSON-RPC methods answer the
 * live store settings and a tenant's exact session count, each called by the name docs/configuration.md gives; with
 * Redis hosts configured, dev mode logs nothing about Docker.
 */
class DevUiCardTest {

    static final int PORT = FreePorts.next();
    static final RedisServer REDIS = TestRedis.standalone();
    /** The extension's artifact id: the Dev UI's namespace of the card and of its JSON-RPC methods. */
    static final String NAMESPACE = "quarkus-redis-session";
    // fresh per run: the count must be exact on a server other tests share
    static final String TENANT = "devui-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(SessionServlet.class)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.http.port=" + PORT,
                            "quarkus.redis.hosts=" + REDIS.uri(),
                            "quarkus.redis-session.key-prefix=devui-card:",
                            "quarkus.redis-session.tenant.strategy=header",
                            "quarkus.redis-session.tenant.header=X-Org",
                            "quarkus.redis-session.tenant.default=lobby")), "application.properties"))
            .setLogRecordPredicate(r -> true);

    final DevUiJsonRpc jsonRpc = new DevUiJsonRpc(PORT);

    /**
     * The JSON-RPC names docs/configuration.md gives, by method: the test calls exactly those, and they must be all the
     * service's methods.
     */
    static Map<String, String> documentedMethods() throws IOException {
        Matcher names = Pattern.compile("`(" + Pattern.quote(NAMESPACE) + "_(\\w+))`")
                .matcher(Files.readString(Path.of("../../docs/configuration.md")));
        Map<String, String> documented = new TreeMap<>();
        while (names.find()) {
            documented.put(names.group(2), names.group(1));
        }
        return documented;
    }

    private String documented(String method) {
        return assertInstanceOf(String.class, methods.get(method), "docs/configuration.md names " + method);
    }

    Map<String, String> methods;

    // One test method: QuarkusDevModeTest starts the application anew for each.
    @Test
    void cardShowsTheLiveStoreAndCountsATenantsSessions() throws Exception {
        methods = documentedMethods();
        assertEquals(Arrays.stream(RedisSessionJsonRpcService.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers()))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new)), methods.keySet(),
                "docs/configuration.md names every JSON-RPC method: " + methods);
        cardIsRegisteredWithItsPageAndBuildTimeData();
        infoIsTheLiveConfiguration();
        countsExactlyTheTenantsSessions();
        aPatternIsRejectedWithTheReason();
        // Redis hosts configured: nothing looks for a container runtime either (issue 24).
        assertEquals(List.of(), DockerNoise.in(TEST.getLogRecords()), "no Docker or Testcontainers warning or error");
    }

    private void cardIsRegisteredWithItsPageAndBuildTimeData() {
        String data = given().port(PORT).get("/q/dev-ui/" + NAMESPACE + "-data.js").then().statusCode(200)
                .extract().asString();
        assertTrue(data.contains("export const sessionClient = \"<default>\""), data);
        String component = given().port(PORT).get("/q/dev-ui/" + NAMESPACE + "/qwc-redis-session-store.js")
                .then().statusCode(200).extract().asString();
        assertTrue(component.contains("customElements.define('qwc-redis-session-store'"), component);
    }

    private void infoIsTheLiveConfiguration() throws Exception {
        JsonNode info = jsonRpc.call(documented("getInfo"), Map.of());
        assertEquals(REDIS.uri(), info.get("address").asText(), info.toString());
        assertFalse(info.get("cluster").asBoolean(), info.toString());
        assertEquals("devui-card:", info.get("keyPrefix").asText(), info.toString());
        assertEquals("header", info.get("tenantStrategy").asText(), info.toString());
        assertEquals("X-Org", info.get("tenantHeader").asText(), info.toString());
        assertEquals("lobby", info.get("defaultTenant").asText(), info.toString());
        assertEquals(REDIS.uri(), jsonRpc.call(documented("getAddress"), Map.of()).asText());
    }

    private void countsExactlyTheTenantsSessions() throws Exception {
        createSessions(TENANT, 3);
        // a neighbour whose keys a widened pattern ("<tenant>*" without the ':') would also match
        createSessions(TENANT + "-eu", 2);
        JsonNode count = jsonRpc.call(documented("countSessions"), Map.of("tenant", TENANT));
        assertEquals(3, count.path("sessions").asLong(-1), count.toString());
        // the Dev UI's JSON leaves out null fields
        assertNull(count.path("error").asText(null), count.toString());
        count = jsonRpc.call(documented("countSessions"), Map.of("tenant", TENANT + "-eu"));
        assertEquals(2, count.path("sessions").asLong(-1), count.toString());
    }

    private void aPatternIsRejectedWithTheReason() throws Exception {
        JsonNode count = jsonRpc.call(documented("countSessions"), Map.of("tenant", TENANT + "*"));
        assertNull(count.path("sessions").asText(null), count.toString());
        String error = count.path("error").asText();
        assertTrue(error.startsWith("Invalid tenant id '" + TENANT + "*': a tenant id is 1 to 64 characters"), error);
        assertTrue(error.contains("patterns such as 'acme*' are not accepted"), error);
    }

    private static void createSessions(String tenant, int count) {
        for (int i = 0; i < count; i++) {
            given().port(PORT).header("X-Org", tenant).body("\"" + i + "\"").put("/s/attr/a").then().statusCode(204);
        }
    }
}
