package dev.redissession.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import dev.redissession.servlet.ServletSessions;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * {@code GET /demo/stored}: what Redis holds for the request's session cookie and tenant, read straight from Redis:
 * {@code {"key": "session:acme:AbCd…", "value": "<the stored JSON string>", "ttl_ms": 1799123}}, the id in the key
 * cut to four characters. It never loads the session, so it neither creates one nor slides its expiry; 404 when
 * there is no such key.
 */
@WebServlet(urlPatterns = "/demo/stored")
public class StoredSessionServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(StoredSessionServlet.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** What a cookie may hold to be looked up at all; anything else cannot be a session id of the extension. */
    private static final Pattern PLAUSIBLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final int SHOWN_ID_CHARS = 4;

    @Inject
    JsonHttp json;
    @Inject
    TenantResolver tenants;
    @Inject
    Redis redis;
    @ConfigProperty(name = "quarkus.redis-session.key-prefix", defaultValue = "session:")
    String prefix;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String tenant = TenantIds.require(tenants.resolve(ServletSessions.currentRequest()));
        String id = request.getRequestedSessionId();
        if (id == null || !PLAUSIBLE_ID.matcher(id).matches()) {
            json.error(response, HttpServletResponse.SC_NOT_FOUND, "no_session",
                    "This browser has no session cookie (or not a well-formed one): log in first");
            return;
        }
        String key = prefix + tenant + ":" + id;
        List<Response> replies;
        try {
            // One round trip: the value and its remaining time to live as of the same moment.
            replies = redis.batch(List.of(Request.cmd(Command.GET).arg(key), Request.cmd(Command.PTTL).arg(key)))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("GET/PTTL of %s failed: %s", redact(key, id), e.toString().replace(id, redact(id)));
            json.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "session_store_unavailable",
                    "Redis did not answer GET/PTTL of the session key; the replica's log has the reason");
            return;
        }
        if (replies.get(0) == null) {
            json.error(response, HttpServletResponse.SC_NOT_FOUND, "no_session",
                    "Redis holds no key " + redact(key, id) + ": logged out, expired, purged or never logged in");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", redact(key, id));
        body.put("value", replies.get(0).toString());
        body.put("ttl_ms", replies.get(1).toLong());
        json.write(response, HttpServletResponse.SC_OK, body);
    }

    private static String redact(String key, String id) {
        return key.substring(0, key.length() - id.length()) + redact(id);
    }

    private static String redact(String id) {
        return id.substring(0, Math.min(SHOWN_ID_CHARS, id.length())) + "…";
    }
}
