package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Kubernetes manifest quarkus-kubernetes generates at package time ({@code target/kubernetes/kubernetes.yml},
 * hence a failsafe test): a Deployment of at least 2 replicas with probes on the health endpoints, the Redis URL
 * from a Secret, and a grace period longer than the shutdown's delay plus timeout.
 */
class KubernetesManifestIT {

    static final Path MANIFEST = Path.of("target", "kubernetes", "kubernetes.yml");

    @Test
    void theDeploymentFitsSessionsInRedisAndTheDrain() throws IOException {
        JsonNode deployment = resources().stream().filter(r -> "Deployment".equals(r.path("kind").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment in " + MANIFEST));
        assertTrue(deployment.path("spec").path("replicas").asInt() >= 2, "replicas: " + deployment.path("spec"));

        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());

        JsonNode hosts = null;
        for (JsonNode env : container.path("env")) {
            if ("QUARKUS_REDIS_HOSTS".equals(env.path("name").asText())) {
                hosts = env;
            }
        }
        assertTrue(hosts != null, "QUARKUS_REDIS_HOSTS in " + container.path("env"));
        JsonNode secret = hosts.path("valueFrom").path("secretKeyRef");
        assertEquals("redis-session", secret.path("name").asText(), "from a Secret: " + hosts);
        assertEquals("redis-url", secret.path("key").asText(), String.valueOf(hosts));

        Properties app = new Properties();
        app.load(Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties")));
        Duration delay = Duration.parse("PT" + app.getProperty("quarkus.shutdown.delay"));
        // The extension's default, unless the demo sets its own.
        Duration timeout = Duration.parse("PT" + app.getProperty("quarkus.shutdown.timeout", "10s"));
        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace > delay.plus(timeout).toSeconds(),
                "terminationGracePeriodSeconds " + grace + " must exceed the delay " + delay + " + timeout " + timeout);
    }

    private static List<JsonNode> resources() throws IOException {
        assertTrue(Files.isRegularFile(MANIFEST), MANIFEST.toAbsolutePath() + " (made by the package phase)");
        try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(MANIFEST.toFile())) {
            return documents.readAll();
        }
    }
}
