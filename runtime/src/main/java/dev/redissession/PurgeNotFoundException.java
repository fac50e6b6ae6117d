package dev.redissession;

/**
 * No purge job has this id: it never existed, or its state expired
 * ({@code quarkus.redis-session.purge.job-retention}). The admin API answers 404.
 */
public class PurgeNotFoundException extends RuntimeException {

    public PurgeNotFoundException(String jobId) {
        super("No purge job with id '" + (jobId == null ? "" : jobId.replaceAll("[^A-Za-z0-9-]", "?"))
                + "' (unknown, or its state expired)");
    }
}
