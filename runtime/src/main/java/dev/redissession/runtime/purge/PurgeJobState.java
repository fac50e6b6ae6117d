package dev.redissession.runtime.purge;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.redissession.PurgeJob;
import dev.redissession.runtime.codec.ExtensionJson;
import dev.redissession.runtime.keys.SessionKeys;
import dev.redissession.runtime.purge.ClusterTopology.Topology;
import dev.redissession.runtime.store.LuaScripts;
import dev.redissession.runtime.store.RedisCalls.Effect;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A job's state in Redis: the tenant's lock, the fence that rotations check, the job record (JSON in
 * {@link ExtensionJson#MAPPER}'s form) and its cancel flag.
 * <p>
 * <b>Out of memory.</b> Every write here is a script flagged {@code allow-oom} (Redis 7): a Redis at
 * {@code maxmemory} with {@code noeviction} refuses plain writes ({@code SET}) and unflagged scripts, yet a purge only
 * frees memory, and logging a compromised tenant out must work exactly when Redis is full. These writes are a few
 * small keys per job (on a cluster, one fence per slot); {@code SCAN} and {@code UNLINK} are allowed under OOM anyway.
 */
final class PurgeJobState {

    /** Fence commands per pipeline: a cluster has one fence key per slot. */
    private static final int FENCE_PIPELINE = 1024;

    private final PurgeCommands commands;
    private final SessionKeys keys;
    private final PurgeSettings settings;

    PurgeJobState(PurgeCommands commands, SessionKeys keys, PurgeSettings settings) {
        this.commands = commands;
        this.keys = keys;
        this.settings = settings;
    }

    /** Whether this job now holds the tenant's purge lock (for {@code lock-lease}). */
    Uni<Boolean> takeLock(String tenant, String jobId) {
        String lock = keys.purgeLock(tenant);
        return commands.eval(LuaScripts.PURGE_TAKE_LOCK, lock, Effect.WRITE, jobId, settings.lockLease().toMillis())
                .map(response -> response != null);
    }

    /** The id of the job holding the tenant's lock, or {@code null}. */
    Uni<String> lockHolder(String tenant) {
        String lock = keys.purgeLock(tenant);
        return commands.send(Request.cmd(Command.GET).arg(lock), lock, Effect.READ)
                .map(response -> response == null ? null : response.toString());
    }

    /** Whether the lock was still this job's and now lives {@code lock-lease} more. */
    Uni<Boolean> renewLock(String tenant, String jobId) {
        return commands.eval(LuaScripts.PURGE_RENEW_LOCK, keys.purgeLock(tenant), Effect.WRITE, jobId,
                settings.lockLease().toMillis()).map(r -> r.toLong() == 1);
    }

    Uni<Void> releaseLock(String tenant, String jobId) {
        return commands.eval(LuaScripts.PURGE_DELETE_IF_VALUE, keys.purgeLock(tenant), Effect.WRITE, jobId).replaceWithVoid();
    }

    /**
     * Sets each of the tenant's fence keys ({@link SessionKeys#purgeFence}) to the job's start for the sessions'
     * max lifetime: one, or on a cluster one per slot.
     */
    Uni<Void> writeFences(Topology topology, String tenant, long startMillis) {
        return eachFence(topology, tenant, LuaScripts.PURGE_SET_FENCE, startMillis, settings.maxLifetime().toMillis());
    }

    /** Deletes each fence key of a cancelled job (unless a later purge replaced it). */
    Uni<Void> dropFences(Topology topology, String tenant, long startMillis) {
        return eachFence(topology, tenant, LuaScripts.PURGE_DELETE_IF_VALUE, startMillis);
    }

    /**
     * One call of the script per fence key. On a cluster the keys of a master's slots go to it in pipelines (a batch
     * goes to the node of its first key, and every key of these is that node's): sent one by one, 16384 commands would
     * queue for the client's few pooled connections.
     */
    private Uni<Void> eachFence(Topology topology, String tenant, LuaScripts script, Object... args) {
        if (!commands.cluster()) {
            return commands.eval(script, keys.purgeFence(tenant), Effect.WRITE, args).replaceWithVoid();
        }
        return Uni.join().all(topology.nodes().stream()
                .map(node -> {
                    List<List<Integer>> pipelines = new ArrayList<>();
                    TenantScan.chunk(node.slots(), FENCE_PIPELINE, pipelines);
                    return Multi.createFrom().iterable(pipelines)
                            .onItem().transformToUniAndConcatenate(slots -> commands.evalEach(script, slots.stream()
                                    .map(slot -> keys.purgeFence(tenant, slot, true)).toList(),
                                    "fence on " + node.address(), Effect.WRITE, args))
                            .collect().last().replaceWithVoid();
                })
                .toList()).andFailFast().replaceWithVoid();
    }

    /** Stores the job's snapshot for {@code job-retention}; the item says whether a cancel was requested. */
    Uni<Boolean> save(PurgeJob job) {
        return commands.eval(LuaScripts.PURGE_SAVE_JOB, keys.purgeJob(job.id()), Effect.WRITE, toJson(job),
                settings.jobRetention().toMillis()).map(cancel -> cancel != null);
    }

    /** The stored snapshot, or {@code null}. */
    Uni<PurgeJob> load(String jobId) {
        String jobKey = keys.purgeJob(jobId);
        return commands.send(Request.cmd(Command.HGET).arg(jobKey).arg("job"), jobKey, Effect.READ)
                .map(text -> text == null ? null : fromJson(text.toString()));
    }

    /** Sets the job's cancel flag; {@code false} when the job is unknown. */
    Uni<Boolean> requestCancel(String jobId) {
        return commands.eval(LuaScripts.PURGE_REQUEST_CANCEL, keys.purgeJob(jobId), Effect.WRITE).map(r -> r.toLong() == 1);
    }

    private static String toJson(PurgeJob job) {
        try {
            return ExtensionJson.MAPPER.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PurgeJob fromJson(String text) {
        try {
            return ExtensionJson.MAPPER.readValue(text, PurgeJob.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable purge job state in Redis: " + e.getMessage(), e);
        }
    }
}
