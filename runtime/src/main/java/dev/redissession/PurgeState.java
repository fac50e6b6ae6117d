package dev.redissession;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a tenant purge job is; written in lower case in JSON ({@code running}, {@code completed}, ...).
 */
public enum PurgeState {
    /** Scanning and deleting. */
    RUNNING,
    /** Every session of the tenant created before the job started is gone. */
    COMPLETED,
    /** Stopped by an error ({@link PurgeJob#error()} says which); sessions may remain: run the purge again. */
    FAILED,
    /** Stopped on request; sessions may remain. */
    CANCELLED;

    /** Whether the job has ended (every state but {@link #RUNNING}). */
    public boolean isTerminal() {
        return this != RUNNING;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PurgeState fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
