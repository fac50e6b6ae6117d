package dev.redissession.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redissession.testing.RedisServer;
import dev.redissession.testing.TestRedis;
import io.quarkus.test.QuarkusUnitTest;

/**
 * More cookies than Undertow parses (200): an application reading them ({@code getCookies()}) made Undertow answer
 * 500 with an HTML page and log a stack trace per request; the servlet door answers 400 JSON and logs one line for
 * the storm.
 */
class CookieFloodTest {

    static final RedisServer REDIS = TestRedis.standalone();

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.on(REDIS, SessionServlet.class, Sessions.class)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> {
                assertEquals(1, records.stream().filter(r -> String.valueOf(r.getMessage()).contains("cookies")
                        || r.getThrown() != null).count(), "one line for five refused requests: " + records.stream()
                                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
            });

    static String cookies(int count) {
        StringBuilder cookies = new StringBuilder();
        for (int i = 0; i < count; i++) {
            cookies.append("c").append(i).append("=v; ");
        }
        return cookies.toString();
    }

    @Test
    void moreThan200CookiesAre400JsonWithOneLogLine() {
        given().header("Cookie", cookies(200)).get("/s/cookies").then().statusCode(200).body(equalTo("200"));
        for (int i = 0; i < 5; i++) {
            given().header("Cookie", cookies(201)).get("/s/cookies").then().statusCode(400)
                    .contentType("application/json").body("error", equalTo("too_many_cookies"))
                    .body("message", containsString("delete this site's cookies"));
        }
    }
}
