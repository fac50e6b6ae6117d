package dev.redissession.admin.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the admin API's Server-Sent Events: the JSON of each {@code data:} line, until the server ends the stream. */
final class AdminClient {

    /** Basic auth with an embedded user {@code admin}/{@code admin} holding {@code role}, plus a plain {@code user}. */
    static io.quarkus.test.QuarkusUnitTest withUsers(io.quarkus.test.QuarkusUnitTest app, String role) {
        return app.overrideConfigKey("quarkus.http.auth.basic", "true")
                .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
                .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
                .overrideConfigKey("quarkus.security.users.embedded.users.admin", "admin")
                .overrideConfigKey("quarkus.security.users.embedded.roles.admin", role)
                .overrideConfigKey("quarkus.security.users.embedded.users.user", "user")
                .overrideConfigKey("quarkus.security.users.embedded.roles.user", "user");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    AdminClient(URL base) {
        this.base = URI.create(base.toString().replaceAll("/$", ""));
    }

    /** Opens the event stream now: its events arrive in {@link EventStream#received()} until the server ends it. */
    EventStream events(String path, String user, String password) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream")
                .header("Authorization", basic(user, password)).GET().build();
        EventStream stream = new EventStream();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            assertEquals(200, response.statusCode(), "events of " + path);
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(line -> stream.received.add(parse(line.substring(5))));
            }
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                stream.ended.completeExceptionally(failure);
            } else {
                stream.ended.complete(null);
            }
        });
        return stream;
    }

    /** One Server-Sent Events stream being read. */
    static final class EventStream {
        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        /** The events so far (all of them once {@link #awaitEnd()} returned). */
        List<JsonNode> received() {
            return received;
        }

        /** Waits (at most 60 s) until the server ends the stream; every event. */
        List<JsonNode> awaitEnd() {
            try {
                ended.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the event stream did not end in time; received " + received, e);
            }
            return new ArrayList<>(received);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
