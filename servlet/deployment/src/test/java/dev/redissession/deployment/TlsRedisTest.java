package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import dev.redissession.testing.TlsFiles;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Sessions over TLS with mutual authentication, configured through the Quarkus TLS registry as docs/tls-and-acl.md
 * shows, against a {@code redis-server} that listens on TLS only and requires client certificates, all of a CA made
 * at test time. Named Redis clients of the same app each make one configuration mistake, and fail with the message
 * that docs/tls-and-acl.md quotes (their presence beside the default client also keeps the session store's lookup of
 * the default client unambiguous).
 */
class TlsRedisTest {

    static final TlsFiles TLS = TlsFiles.generate("tls-redis-test");
    static final RedisServer REDIS = TestRedis.dedicated("tls-redis-test",
            TLS.serverArgs(true).toArray(String[]::new));
    /** The certificate names {@code localhost}, not {@code 127.0.0.1}. */
    static final String HOSTS = "rediss://localhost:" + REDIS.port();

    @RegisterExtension
    static final QuarkusUnitTest TEST = withMistakes(tls(TestApps.app(SessionServlet.class, Sessions.class),
            "redis", "<default>", HOSTS, TLS.caCert().toString(), true, "HTTPS"));

    @Inject
    @RedisClientName("no-verification")
    Redis noVerification;
    @Inject
    @RedisClientName("wrong-ca")
    Redis wrongCa;
    @Inject
    @RedisClientName("wrong-host")
    Redis wrongHost;
    @Inject
    @RedisClientName("plain")
    Redis plain;
    @Inject
    @RedisClientName("no-client-cert")
    Redis noClientCert;

    @Test
    void sessionsWorkOverTls() {
        String id = Sessions.put(null, "a", "\"x\"");
        given().cookie("JSESSIONID", id).post("/s/counter").then().statusCode(200);
        String counter = given().cookie("JSESSIONID", id).post("/s/counter").then().statusCode(200).extract()
                .asString().trim();
        assertEquals("2", counter);
        // The server has no plain port: the sessions can only be there through TLS.
        assertTrue(REDIS.cli("GET", "session:default:" + id).contains("\"counter\":2"));
    }

    /** What each mistake looks like: the messages docs/tls-and-acl.md quotes. */
    @Test
    void eachMistakeFailsWithItsMessage() {
        assertFailsWith(noVerification, "Missing hostname verification algorithm: you must set TCP client options host "
                + "name verification algorithm");
        assertFailsWith(wrongCa, "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
                + "unable to find valid certification path to requested target");
        assertFailsWith(wrongHost, "No subject alternative names matching IP address 127.0.0.1 found");
        assertFailsWith(plain, "Connection reset");
        assertFailsWith(noClientCert, "Received fatal alert: certificate_required");
    }

    private static void assertFailsWith(Redis client, String message) {
        String failure = failure(client);
        assertTrue(failure != null && failure.contains(message), "expected a failure with '" + message + "': " + failure);
    }

    /** The failure of a PING with its causes, or null when it answered. */
    private static String failure(Redis client) {
        try {
            client.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(15));
            return null;
        } catch (RuntimeException e) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                chain.append(chain.isEmpty() ? "" : " <- ").append(t.getClass().getName()).append(": ")
                        .append(t.getMessage());
            }
            return chain.toString();
        }
    }

    /**
     * Redis client {@code client} at {@code hosts} over TLS configuration {@code tlsName} of the TLS registry: trusting
     * {@code ca} (unless null), presenting the client certificate when {@code mtls}, verifying host names with
     * {@code algorithm} (unless null).
     */
    private static QuarkusUnitTest tls(QuarkusUnitTest app, String tlsName, String client, String hosts, String ca,
            boolean mtls, String algorithm) {
        String redis = "<default>".equals(client) ? "quarkus.redis." : "quarkus.redis." + client + ".";
        String tls = "quarkus.tls." + tlsName + ".";
        app.overrideConfigKey(redis + "hosts", hosts).overrideConfigKey(redis + "tls-configuration-name", tlsName);
        if (ca != null) {
            app.overrideConfigKey(tls + "trust-store.pem.certs", ca);
        }
        if (mtls) {
            app.overrideConfigKey(tls + "key-store.pem.client.cert", TLS.clientCert().toString())
                    .overrideConfigKey(tls + "key-store.pem.client.key", TLS.clientKey().toString());
        }
        if (algorithm != null) {
            app.overrideConfigKey(tls + "hostname-verification-algorithm", algorithm);
        }
        return app;
    }

    private static QuarkusUnitTest withMistakes(QuarkusUnitTest app) {
        String ca = TLS.caCert().toString();
        tls(app, "no-verification", "no-verification", HOSTS, ca, true, null);
        tls(app, "wrong-ca", "wrong-ca", HOSTS, TLS.otherCaCert().toString(), true, "HTTPS");
        tls(app, "wrong-host", "wrong-host", "rediss://127.0.0.1:" + REDIS.port(), ca, true, "HTTPS");
        tls(app, "no-client-cert", "no-client-cert", HOSTS, ca, false, "HTTPS");
        return app.overrideConfigKey("quarkus.redis.plain.hosts", "redis://localhost:" + REDIS.port());
    }
}
