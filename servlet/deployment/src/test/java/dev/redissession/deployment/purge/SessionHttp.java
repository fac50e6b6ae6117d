package dev.redissession.deployment.purge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A thread-safe client of {@link PurgeTestServlet}; the tenant travels in {@code X-Tenant-Id}. */
final class SessionHttp {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    SessionHttp(URL base) {
        this.base = URI.create(base.toString().replaceAll("/$", "") + "/pt/");
    }

    /** A new session of the tenant; its id. */
    String create(String tenant, String owner) {
        HttpResponse<String> response = send(tenant, null, "create?owner=" + owner, true);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("create answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** changeSessionId plus a write: the new id, or {@code null} when the session is gone. */
    String rotate(String tenant, String id) {
        return idOrGone(send(tenant, id, "rotate", true));
    }

    /**
     * {@link #rotate} with the raw answer: 200 and the new id; 409 when the session ended while the request used
     * it (a purge's fence deletes a session it finds rotated); 404 when it was gone before.
     */
    HttpResponse<String> rotateResponse(String tenant, String id) {
        return send(tenant, id, "rotate", true);
    }

    /** An attribute write: whether the session still existed. */
    boolean write(String tenant, String id) {
        return idOrGone(send(tenant, id, "write", true)) != null;
    }

    /** The session's owner attribute, or {@code null} when the cookie gives no session. */
    String read(String tenant, String id) {
        HttpResponse<String> response = send(tenant, id, "read", false);
        return idOrGone(response);
    }

    private static String idOrGone(HttpResponse<String> response) {
        return switch (response.statusCode()) {
            case 200 -> response.body();
            // 409: the session ended (purged, or rotated by another request) while this request used it.
            case 404, 409 -> null;
            default -> throw new IllegalStateException("answered " + response.statusCode() + ": " + response.body());
        };
    }

    private HttpResponse<String> send(String tenant, String id, String path, boolean post) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("X-Tenant-Id", tenant);
        if (id != null) {
            request.header("Cookie", "JSESSIONID=" + id);
        }
        request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
