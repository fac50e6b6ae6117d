package dev.redissession.runtime.purge;

/** Told of each session a purge deleted (the application hears of it as a {@code SessionEnded} event). */
@FunctionalInterface
public interface PurgedSession {

    /** Nobody listens (a benchmark). */
    PurgedSession NONE = (tenant, sessionId) -> {
    };

    /** The purge of {@code tenant} deleted the session {@code sessionId}, which existed until then. */
    void purged(String tenant, String sessionId);
}
