package dev.redissession.runtime.failure;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.TooManySessionsException;
import dev.redissession.runtime.codec.ExtensionJson;
import io.smallrye.mutiny.TimeoutException;

/**
 * What a client is told when a request fails because of the session store: the {@link FailureKind} of an exception
 * (status, error code, whether retrying soon can help) with its message, for the session filter, the commit listener
 * and the admin API alike. Messages never carry Redis addresses or session keys.
 *
 * @param jobId the running purge job a 409 {@code purge_running} refers to, else {@code null}
 * @param retryAfterSeconds the {@code Retry-After} of a retryable kind
 */
public record SessionFailure(FailureKind kind, String message, String jobId, long retryAfterSeconds) {

    /** The {@code Retry-After} of a retryable 503, in seconds; a 429 says its own. */
    private static final long RETRY_AFTER_SECONDS = 1;

    /** The answer for {@code failure} or one of its causes, or {@code null} when it is no failure of the store. */
    public static SessionFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            FailureKind kind = FailureKind.of(cause);
            if (kind != null) {
                return new SessionFailure(kind, message(cause),
                        cause instanceof PurgeAlreadyRunningException running ? running.runningJobId() : null,
                        cause instanceof TooManySessionsException limited ? limited.retryAfterSeconds()
                                : RETRY_AFTER_SECONDS);
            }
        }
        return null;
    }

    private static String message(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "Redis did not answer in time; try again";
        }
        // Only the store's messages quote Redis, which may name addresses.
        return cause instanceof SessionStoreUnavailableException ? ErrorText.publicText(cause.getMessage(), "")
                : cause.getMessage();
    }

    public int status() {
        return kind.status();
    }

    public String error() {
        return kind.error();
    }

    /** The answer's headers besides the content type: {@code Retry-After} when retrying soon can help. */
    public Map<String, String> headers() {
        return kind.retryable() ? Map.of("Retry-After", String.valueOf(retryAfterSeconds)) : Map.of();
    }

    /** {@link #body()} as the answer's JSON bytes. */
    public byte[] json() {
        try {
            return ExtensionJson.MAPPER.writeValueAsBytes(body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings always encodes
        }
    }

    /** The JSON body: {@code {"error": ..., "message": ...}} (and {@code job_id} for a running purge). */
    public Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error());
        body.put("message", message);
        if (jobId != null) {
            body.put("job_id", jobId);
        }
        return body;
    }
}
