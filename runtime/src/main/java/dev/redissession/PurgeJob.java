package dev.redissession;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A snapshot of one tenant purge job: what it has done so far, or how it ended. This is the JSON the admin API
 * returns and streams, and what every replica reads from Redis.
 *
 * @param id the job id (a UUID)
 * @param tenant the tenant whose sessions are deleted
 * @param state where the job is
 * @param scanned keys of the tenant that {@code SCAN} returned so far (a key may be counted twice: SCAN may repeat it)
 * @param deleted keys the job actually removed ({@code UNLINK} replies summed; a repeated key is counted once)
 * @param pages {@code SCAN} pages processed, over all cluster nodes
 * @param startedAt when the job took the tenant's lock; every session of the tenant created before this instant is
 *        gone once the job has {@link PurgeState#COMPLETED completed}
 * @param finishedAt when the job ended, {@code null} while it runs
 * @param elapsedMillis milliseconds from {@code startedAt} to this snapshot (or to the end)
 * @param error why the job failed, {@code null} unless {@link PurgeState#FAILED}: Redis's own error reply is kept
 *        ({@code NOPERM ...}), Redis addresses, cluster node ids and session keys are replaced by placeholders (the
 *        server log has the detail)
 */
public record PurgeJob(
        @JsonProperty("id") String id,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("state") PurgeState state,
        @JsonProperty("scanned") long scanned,
        @JsonProperty("deleted") long deleted,
        @JsonProperty("pages") long pages,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("elapsed_ms") long elapsedMillis,
        @JsonProperty("error") String error) {

    /** The same snapshot in another state, e.g. a running job found abandoned by its replica. */
    public PurgeJob withState(PurgeState newState, Instant finished, String reason) {
        return new PurgeJob(id, tenant, newState, scanned, deleted, pages, startedAt, finished, elapsedMillis, reason);
    }
}
