package dev.redissession.runtime.purge;

/** Told of each session a purge deleted (the application hears of it as a {@code SessionEnded} event). */
@FunctionalInterface
public interface PurgedSession {

    /** Nobody listens (a benchmark). */
    PurgedSession NONE = (tenant, sessionId, expired) -> {
    };

    /**
     * The purge of {@code tenant} deleted the session {@code sessionId}, which existed until then; or, with
     * {@code expired}, found it gone by its TTL but not yet announced, and removed it from the expiry index (so the
     * expiry sweep will not announce it: the purge does).
     */
    void purged(String tenant, String sessionId, boolean expired);
}
