package dev.redissession.testing;

import java.util.List;

/**
 * A {@code redis-cli} (or other helper) subprocess failed: non-zero exit (an error reply, since the rig runs
 * redis-cli with {@code -e}; or no connection), or no answer before the timeout (e.g. the server is paused).
 */
public class RedisCliException extends RuntimeException {

    private final boolean timedOut;
    private final int exitCode;
    private final String output;

    RedisCliException(List<String> command, boolean timedOut, int exitCode, String output, Throwable cause) {
        super(String.join(" ", command) + (timedOut ? " timed out" : " failed (exit " + exitCode + ")")
                + (output == null || output.isBlank() ? "" : ": " + output.strip()), cause);
        this.timedOut = timedOut;
        this.exitCode = exitCode;
        this.output = output;
    }

    /** True if the command got no answer in time (nothing was read; the subprocess was killed). */
    public boolean timedOut() {
        return timedOut;
    }

    /** Exit code of the subprocess, -1 if it timed out or could not be started. */
    public int exitCode() {
        return exitCode;
    }

    /** Combined stdout/stderr of the subprocess (for an error reply: the error text, e.g. "WRONGTYPE ..."). */
    public String output() {
        return output;
    }
}
