package dev.redissession.deployment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import dev.redissession.testing.Poll;

/**
 * Logged-in users of a test app, each posting to its session ({@code POST /s/counter}) every 200 ms on a thread of
 * its own, and every answer they got: what the failover tests measure (success ratios in a window, when a user
 * worked again).
 */
final class FailoverLoad implements AutoCloseable {

    static final Duration PACE = Duration.ofMillis(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /**
     * One answer: when it came (nanoTime), to which user, its status, whether it carried Retry-After, and the body of
     * a failure (else null).
     */
    record Answer(long at, int user, int status, boolean retryAfter, String failure) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI counter;
    private final List<String> sessions = new ArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** Logs {@code users} in (one session each) against the app on {@code port}, then starts their loops. */
    FailoverLoad(int port, int users) {
        this.counter = URI.create("http://localhost:" + port + "/s/counter");
        for (int user = 0; user < users; user++) {
            sessions.add(login());
        }
        for (int user = 0; user < users; user++) {
            int me = user;
            Thread thread = new Thread(() -> loop(me), "failover-user-" + user);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private String login() {
        HttpResponse<String> created = post(null);
        if (created.statusCode() != 200) {
            throw new AssertionError("logging a user in failed: " + created.statusCode() + " " + created.body());
        }
        String cookie = created.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
    }

    /** The session id of each user, by index. */
    List<String> sessions() {
        return sessions;
    }

    private void loop(int user) {
        while (!stopped) {
            long started = System.nanoTime();
            int status;
            boolean retryAfter = false;
            String failure = null;
            try {
                HttpResponse<String> response = post(sessions.get(user));
                status = response.statusCode();
                retryAfter = response.headers().firstValue("Retry-After").isPresent();
                failure = status == 200 ? null : response.body();
            } catch (RuntimeException e) {
                status = -1; // no answer at all
                failure = e.toString();
            }
            answers.add(new Answer(System.nanoTime(), user, status, retryAfter, failure));
            long left = PACE.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000); // the users' pace, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One more request of {@code user}'s, answered in the background. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> postAsync(int user) {
        return http.sendAsync(request(sessions.get(user)), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(counter).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (session != null) {
            request.header("Cookie", "JSESSIONID=" + session);
        }
        return request.build();
    }

    private HttpResponse<String> post(String session) {
        try {
            return http.send(request(session), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The answers that came between {@code from} and {@code to} (nanoTime) to the users {@code who} accepts. */
    List<Answer> between(long from, long to, Predicate<Integer> who) {
        return answers.stream().filter(a -> a.at() >= from && a.at() <= to && who.test(a.user())).toList();
    }

    /** The share of {@code answers} that are 200; 1 when there are none. */
    static double okRatio(List<Answer> answers) {
        return answers.isEmpty() ? 1 : answers.stream().filter(Answer::ok).count() / (double) answers.size();
    }

    /** Waits until each of the users {@code who} accepts got a 200 after {@code since}; returns when the last did. */
    long awaitEachOk(long since, Predicate<Integer> who, Duration timeout) {
        return Poll.until(timeout, "every affected user to be answered 200 again", () -> {
            long last = since;
            for (int user = 0; user < sessions.size(); user++) {
                if (!who.test(user)) {
                    continue;
                }
                int me = user;
                long first = answers.stream().filter(a -> a.user() == me && a.at() > since && a.ok())
                        .mapToLong(Answer::at).min().orElse(-1);
                if (first < 0) {
                    return -1L;
                }
                last = Math.max(last, first);
            }
            return last;
        }, at -> at >= 0);
    }

    /** Waits until every user got at least {@code count} more answers after {@code since}. */
    void awaitAnswers(long since, int count, Duration timeout) {
        Poll.until(timeout, count + " more answers per user", () -> {
            for (int user = 0; user < sessions.size(); user++) {
                int me = user;
                if (answers.stream().filter(a -> a.user() == me && a.at() > since).count() < count) {
                    return false;
                }
            }
            return true;
        });
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    static String percent(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** Summary for reports and assertion messages: counts per status, and the distinct failures (a few). */
    static String describe(List<Answer> answers) {
        java.util.Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        answers.forEach(a -> byStatus.merge(a.status(), 1L, Long::sum));
        List<String> failures = answers.stream().filter(a -> a.failure() != null)
                .map(a -> a.status() + (a.retryAfter() ? " (Retry-After) " : " ") + a.failure()).distinct().limit(4)
                .toList();
        return answers.size() + " answers " + byStatus + (failures.isEmpty() ? "" : " " + failures);
    }

    @Override
    public void close() {
        stopped = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(REQUEST_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
