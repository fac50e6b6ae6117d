package dev.redissession.runtime.failure;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.redissession.AttributeConflictException;
import dev.redissession.InvalidTenantException;
import dev.redissession.PurgeAlreadyRunningException;
import dev.redissession.PurgeNotFoundException;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import dev.redissession.SessionTooLargeException;
import dev.redissession.runtime.codec.ExtensionJson;
import io.smallrye.mutiny.TimeoutException;

/**
 * What a client is told when a request fails because of the session store: the one mapping from an exception to
 * status, error code and whether retrying soon can help, for the session filter, the commit listener and the admin
 * API alike. Messages never carry Redis addresses or session keys.
 *
 * @param retryable whether a 503 carries {@code Retry-After}: Redis unreachable or slow, not a refused command
 * @param jobId the running purge job a 409 {@code purge_running} refers to, else {@code null}
 */
public record SessionFailure(int status, String error, String message, boolean retryable, String jobId) {

    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int TOO_LARGE = 413;
    public static final int UNAVAILABLE = 503;
    /** The {@code Retry-After} of a retryable 503, in seconds. */
    private static final String RETRY_AFTER_SECONDS = "1";

    /** The answer for {@code failure} or one of its causes, or {@code null} when it is no failure of the store. */
    public static SessionFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            SessionFailure answer = direct(cause);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    private static SessionFailure direct(Throwable cause) {
        if (cause instanceof InvalidTenantException) {
            return new SessionFailure(BAD_REQUEST, "invalid_tenant", cause.getMessage(), false, null);
        }
        if (cause instanceof SessionGoneException) {
            return new SessionFailure(CONFLICT, "session_gone", cause.getMessage(), false, null);
        }
        if (cause instanceof AttributeConflictException) {
            return new SessionFailure(CONFLICT, "attribute_conflict", cause.getMessage(), false, null);
        }
        if (cause instanceof SessionTooLargeException) {
            return new SessionFailure(TOO_LARGE, "session_too_large", cause.getMessage(), false, null);
        }
        if (cause instanceof PurgeNotFoundException) {
            return new SessionFailure(NOT_FOUND, "unknown_purge", cause.getMessage(), false, null);
        }
        if (cause instanceof PurgeAlreadyRunningException running) {
            return new SessionFailure(CONFLICT, "purge_running", cause.getMessage(), false, running.runningJobId());
        }
        if (cause instanceof SessionStoreUnavailableException unavailable) {
            return new SessionFailure(UNAVAILABLE, unavailable.errorCode(),
                    ErrorText.publicText(cause.getMessage(), ""), unavailable.isTransient(), null);
        }
        if (cause instanceof TimeoutException) {
            return new SessionFailure(UNAVAILABLE, "session_store_unavailable",
                    "Redis did not answer in time; try again", true, null);
        }
        return null;
    }

    /** The answer's headers besides the content type: {@code Retry-After} when retrying soon can help. */
    public Map<String, String> headers() {
        return retryable ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of();
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
        body.put("error", error);
        body.put("message", message);
        if (jobId != null) {
            body.put("job_id", jobId);
        }
        return body;
    }
}
