package dev.redissession.runtime.keys;

import dev.redissession.TenantIds;

/**
 * The key layout {@code <prefix><tenant>:<session id>}, shared with services in other languages, and what a Redis
 * Cluster's slots demand of the keys a script touches together.
 */
public final class SessionKeys {

    private final String prefix;
    private final boolean cluster;

    /** The keys on a standalone or Sentinel server. */
    public SessionKeys(String prefix) {
        this(prefix, false);
    }

    /** @param cluster whether the keys live on a Redis Cluster, where a script may only touch keys of one slot */
    public SessionKeys(String prefix, boolean cluster) {
        this.prefix = prefix;
        this.cluster = cluster;
    }

    /** The configured prefix every key of the store starts with. */
    public String prefix() {
        return prefix;
    }

    public String key(String tenant, String sessionId) {
        return tenantPrefix(tenant) + sessionId;
    }

    /** Every key of the tenant starts with this, and no key of another tenant does. */
    public String tenantPrefix(String tenant) {
        return prefix + TenantIds.require(tenant) + ":";
    }

    /** A {@code SCAN MATCH} pattern that matches exactly the tenant's keys, whatever the prefix holds. */
    public String scanPattern(String tenant) {
        return escapeGlob(tenantPrefix(tenant)) + "*";
    }

    /** Whether {@code key} is a session key of {@code tenant}: the exact prefix, then a well-formed id. */
    public boolean isSessionOf(String key, String tenant) {
        String tenantPrefix = tenantPrefix(tenant);
        return key.startsWith(tenantPrefix) && SessionIds.isValid(key.substring(tenantPrefix.length()));
    }

    /**
     * While a purge of the tenant runs, and for one max lifetime after it started, this key holds the purge's start
     * (epoch milliseconds): a session created before it must not survive by moving to a new id. {@code #} cannot
     * occur in a tenant id, so the key is outside every tenant's key space.
     */
    public String purgeFence(String tenant) {
        return prefix + "#purge:" + TenantIds.require(tenant);
    }

    /**
     * The fence a session in {@code slot} is checked against when its id is rotated. On a cluster there is one per
     * slot, so the write script that moves the session reads it in the same atomic step (a script may only touch
     * keys of one slot); a standalone server needs one.
     */
    public String purgeFence(String tenant, int slot, boolean cluster) {
        return cluster ? purgeFence(tenant) + ":{" + ClusterSlots.tag(slot) + "}" : purgeFence(tenant);
    }

    /** The fence the session at {@code sessionKey} is checked against ({@link #purgeFence(String, int, boolean)}). */
    public String purgeFenceOf(String tenant, String sessionKey) {
        return purgeFence(tenant, ClusterSlots.slot(sessionKey), cluster);
    }

    /**
     * A new id for the tenant's session now stored under {@code storedId}: on a cluster its key lands in the same
     * slot, so one script can move the session atomically.
     */
    public String rotatedId(String tenant, String storedId) {
        return cluster ? SessionIds.generateInSlot(ClusterSlots.slot(key(tenant, storedId)), key(tenant, ""))
                : SessionIds.generate();
    }

    /**
     * The expiry index of the sessions in {@code slot} (on a cluster; of all sessions on a standalone server): a
     * sorted set of {@link #expiryMember members} scored by the deadline their last write gave them, which the expiry
     * sweep reads to find sessions whose TTL ran out. In the slot of its sessions, so the scripts that write a session
     * update it in the same atomic step.
     */
    public String expiryIndex(int slot) {
        return prefix + "#expiry" + (cluster ? ":{" + ClusterSlots.tag(slot) + "}" : "");
    }

    /** The expiry index of the session at {@code sessionKey}. */
    public String expiryIndexOf(String sessionKey) {
        return expiryIndex(ClusterSlots.slot(sessionKey));
    }

    /** Next to an expiry index (same slot): the {@code user_id} of each of its members that has one. */
    public String expiryUsers(String expiryIndex) {
        return expiryIndex + ":users";
    }

    /**
     * Held for one sweep interval by the replica whose turn it is to sweep the expiry indexes, so N replicas cost Redis
     * one pass per interval, not N.
     */
    public String expirySweepTurn() {
        return prefix + "#sweep-turn";
    }

    /** A session's member in the expiry index: its key without the prefix, {@code <tenant>:<id>}. */
    public String expiryMember(String tenant, String sessionId) {
        return TenantIds.require(tenant) + ":" + sessionId;
    }

    /** Held by the one purge job of the tenant that may run, across all replicas. */
    public String purgeLock(String tenant) {
        return prefix + "#purge-lock:" + TenantIds.require(tenant);
    }

    /** The state of a purge job, readable by every replica. */
    public String purgeJob(String jobId) {
        return prefix + "#purge-job:" + jobId;
    }

    /** The key with its session id cut to a few characters: ids are bearer tokens and must not reach logs. */
    public static String redact(String key) {
        int idStart = key.lastIndexOf(':') + 1;
        return key.length() - idStart <= 4 ? key : key.substring(0, idStart + 4) + "...";
    }

    /** Escapes the characters Redis glob patterns give a meaning to: {@code * ? [ ] \}. */
    public static String escapeGlob(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
