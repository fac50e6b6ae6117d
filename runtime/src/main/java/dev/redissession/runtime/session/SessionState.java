package dev.redissession.runtime.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redissession.AttributeConflictException;
import dev.redissession.runtime.codec.SessionCodec;
import dev.redissession.runtime.codec.SessionDocument;
import dev.redissession.runtime.codec.SessionDocument.EncodedAttribute;
import dev.redissession.runtime.codec.Sha1;

/**
 * One request's view of one session: the value read from Redis plus the changes this request made, with no I/O of
 * its own. {@link SessionRepository} reads and writes it; the servlet glue reads and changes its attributes.
 */
public final class SessionState {

    private final SessionCodec codec;
    private final SessionLimits limits;
    private final String tenant;
    private String id;
    /** The id the session is stored under in Redis; {@code null} until a new session is first written. */
    private String storedId;
    private SessionDocument stored;
    /** The value {@code stored} was read from or written as, whose SHA-1 the next write expects to replace. */
    private byte[] storedValue;
    /** Its SHA-1, computed when a write needs it: most requests only read. */
    private String storedSha1;
    /** When this request used the session (read it from Redis, or created it), to the millisecond stored. */
    private final Instant accessedAt;
    /** Fixed for the request, so every call answers the same even before the first write. */
    private final long creationTime;
    /** The access time the session had when this request read it: the previous request's, within the touch interval. */
    private final long previousAccessTime;

    /** The seed field the store writes itself: the key's tenant. */
    static final String TENANT_ID = "tenant_id";

    private final Map<String, EncodedAttribute> changes = new LinkedHashMap<>();
    /**
     * This request's atomic updates: attribute name to the function of the stored value, applied again to the newer
     * value when another request wrote first.
     */
    private final Map<String, UnaryOperator<Object>> updates = new LinkedHashMap<>();
    private Integer maxInactiveChange;
    /** Decoded attribute values, so a request sees the object it stored or read before. */
    private final Map<String, Object> values = new HashMap<>();
    /**
     * For each of those values that can change in place, its JSON when it was read, set or last compared: what
     * {@link #captureInPlaceChanges} compares it with.
     */
    private final Map<String, JsonNode> baselines = new HashMap<>();
    private boolean invalid;
    /** A write failed: the request reports it once, no later hook of the same request tries again. */
    private boolean writeFailed;
    /** Read by a passive request: nothing of it may change, so nothing of it is written. */
    private final boolean passive;
    /** The address of the client that created this session in this request; {@code null} for a stored one. */
    private final String creatorAddress;

    /**
     * @param accessedAt when the request read the session, or created it ({@code stored} is then new)
     * @param passive whether a passive request read it (see {@code @PassiveSession})
     * @param creatorAddress the client's address for a session this request creates, else {@code null}
     */
    SessionState(SessionCodec codec, SessionLimits limits, String tenant, String id, String storedId,
            SessionDocument stored, byte[] storedValue, Instant accessedAt, boolean passive, String creatorAddress) {
        this.passive = passive;
        this.codec = codec;
        this.creatorAddress = creatorAddress;
        this.limits = limits;
        this.tenant = tenant;
        this.id = id;
        this.storedId = storedId;
        this.stored = stored;
        this.storedValue = storedValue;
        this.accessedAt = accessedAt.truncatedTo(ChronoUnit.MILLIS);
        // A value without created_at (a foreign writer) counts as created now; the next write stores that.
        Instant created = stored.createdAt(this.accessedAt);
        this.creationTime = created.toEpochMilli();
        this.previousAccessTime = stored.lastAccessedAt(created).toEpochMilli();
        if (storedId == null) {
            stampTenant();
        }
    }

    /**
     * Writes the seed field {@code tenant_id}, which services in other languages read from the JSON: the tenant the
     * key is stored under, on creation and on every rotation.
     */
    private void stampTenant() {
        if (!changes.containsKey(TENANT_ID)) {
            changes.put(TENANT_ID, codec.encode(TENANT_ID, tenant));
        }
    }

    public String tenant() {
        return tenant;
    }

    /** The id the client is given for this session (after a rotation, the new one). */
    public String id() {
        return id;
    }

    /** The id the session is stored under, {@code null} for a session never written. */
    public String storedId() {
        return storedId;
    }

    /** The {@code user_id} of the session as Redis holds it (what this request read or last wrote). */
    public String storedUserId() {
        return stored.userId();
    }

    public boolean isInvalid() {
        return invalid;
    }

    /** The same in the request that created the session and in every later one: it is stored as it was at creation. */
    public long creationTime() {
        return creationTime;
    }

    /**
     * The stored {@code last_accessed_at} as this request found it: the time of the previous request that wrote or
     * touched the session (for a new session, its creation time).
     */
    public long lastAccessedTime() {
        return previousAccessTime;
    }

    /** Seconds: the change of this request, else the session's own, else {@code defaultSeconds}. */
    public int maxInactiveSeconds(int defaultSeconds) {
        Integer own = maxInactiveChange != null ? maxInactiveChange : stored.maxInactiveInterval();
        return own != null ? own : defaultSeconds;
    }

    public void setMaxInactiveSeconds(int seconds) {
        requireActive("change the session's idle timeout");
        maxInactiveChange = seconds;
    }

    /**
     * @throws IllegalStateException when the stored JSON does not fit the registered class it names
     */
    public Object attribute(String name) {
        if (values.containsKey(name) || changes.containsKey(name)) {
            return values.get(name);
        }
        JsonNode json = stored.attribute(name);
        Object value = json == null ? null : codec.decode(name, json, stored.attributeType(name));
        values.put(name, value);
        track(name, value, json);
        return value;
    }

    public Set<String> attributeNames() {
        Set<String> names = new LinkedHashSet<>(stored.attributeNames());
        changes.forEach((name, value) -> {
            if (value == null) {
                names.remove(name);
            } else {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * @throws IllegalArgumentException naming the attribute and the type when the value cannot be stored, or its
     *         size when it alone is over the session's size limit
     */
    public void setAttribute(String name, Object value) {
        put(name, value);
        updates.remove(name); // a plain value replaces what an update would have computed
    }

    /**
     * Replaces the attribute with {@code function} of its current value, atomically: when another request changed the
     * session before this one is saved, the function is applied again to the newer stored value, so N parallel updates
     * leave the result of N sequential ones. The function must be free of side effects: it may run more than once.
     *
     * @return the new value as computed from the value this request sees now
     */
    @SuppressWarnings("unchecked")
    public <T> T update(String name, UnaryOperator<T> function) {
        UnaryOperator<Object> next = (UnaryOperator<Object>) function;
        UnaryOperator<Object> earlier = updates.get(name);
        // A value this request set itself is no stored value: updating it is a plain change.
        boolean atomic = !changes.containsKey(name) || earlier != null;
        Object value = next.apply(attribute(name));
        if (value == null) {
            removeAttribute(name);
        } else {
            put(name, value);
        }
        if (atomic) {
            updates.put(name, earlier == null ? next : current -> next.apply(earlier.apply(current)));
        }
        return (T) value;
    }

    private void put(String name, Object value) {
        requireActive("set session attribute '" + name + "'");
        if (TENANT_ID.equals(name) && !tenant.equals(value)) {
            throw new IllegalArgumentException("Session attribute tenant_id must be the session's tenant '" + tenant
                    + "' (the tenant its key is stored under; the store writes it there itself), not " + value);
        }
        EncodedAttribute encoded = codec.encode(name, value);
        limits.checkValue(name, encoded.bytes());
        changes.put(name, encoded);
        values.put(name, value);
        track(name, value, encoded.json());
    }

    /** Remembers the JSON of a value the application holds and could change in place. */
    private void track(String name, Object value, JsonNode json) {
        if (codec.canChangeInPlace(value)) {
            baselines.put(name, json);
        } else {
            baselines.remove(name);
        }
    }

    /**
     * Turns every value this request holds that was changed in place (its JSON now differs from when it was read, set
     * or last compared) into a change of that attribute, so saves, merges and retries treat it like a
     * {@code setAttribute}.
     *
     * @throws IllegalArgumentException when such a value no longer can be stored (something that is not JSON was put
     *         into it)
     */
    void captureInPlaceChanges() {
        for (Map.Entry<String, JsonNode> baseline : baselines.entrySet()) {
            String name = baseline.getKey();
            Object value = values.get(name);
            if (codec.encodesTo(value, baseline.getValue())) {
                continue; // untouched, as in most requests: no need to encode it again
            }
            EncodedAttribute now = codec.encode(name, value);
            if (!now.json().equals(baseline.getValue())) {
                changes.put(name, now);
                baseline.setValue(now.json());
            }
        }
    }

    /**
     * Whether the stored access time is older than {@code interval} before this request's (or the stored value lacks a
     * readable one), so a request that changes nothing still writes it.
     */
    boolean touchDue(Duration interval) {
        Instant last = stored.lastAccessedAt(null);
        return storedId != null && (last == null || stored.createdAt(null) == null
                || last.isBefore(accessedAt.minus(interval)));
    }

    /** @return whether the attribute was there to remove */
    public boolean removeAttribute(String name) {
        boolean present = changes.containsKey(name) ? changes.get(name) != null : stored.attribute(name) != null;
        updates.remove(name);
        if (present) {
            requireActive("remove session attribute '" + name + "'");
            changes.put(name, null);
            values.remove(name);
            baselines.remove(name);
        }
        return present;
    }

    void rotateTo(String newId) {
        requireActive("give the session a new id");
        id = newId;
        stampTenant();
    }

    /** Whether a passive request read the session: it is never written. */
    boolean isPassive() {
        return passive;
    }

    private void requireActive(String change) {
        if (passive) {
            throw passiveRefusal(change);
        }
    }

    /** What a passive request that tried to {@code change} (e.g. "create a session") is told. */
    static IllegalStateException passiveRefusal(String change) {
        return new IllegalStateException("This request tried to " + change + ", but it is passive (its path matches "
                + "quarkus.redis-session.passive-paths, or its endpoint is annotated @PassiveSession): it may read "
                + "and invalidate its session, not change or create one, since any write would extend the session. "
                + "Make the change in a request that is not passive");
    }

    /** Whether a commit has something to write: a new session, a rotated id, or a change. */
    boolean isDirty() {
        return !id.equals(storedId) || !changes.isEmpty() || maxInactiveChange != null;
    }

    boolean writeFailed() {
        return writeFailed;
    }

    void markWriteFailed() {
        writeFailed = true;
    }

    void markInvalid() {
        invalid = true;
        changes.clear();
        updates.clear();
        baselines.clear();
    }

    /** The document this request would write: what it read with its changes and its access time applied. */
    SessionDocument next() {
        SessionDocument next = stored.copy();
        next.apply(changes, maxInactiveChange, Instant.ofEpochMilli(creationTime), accessedAt);
        return next;
    }

    /** The SHA-1 of the stored value, {@code null} for a session never written. */
    String storedSha1() {
        if (storedSha1 == null && storedValue != null) {
            storedSha1 = Sha1.hex(storedValue);
        }
        return storedSha1;
    }

    /** The write of {@code next}, as {@code value}, landed under the current id. */
    void written(SessionDocument next, byte[] value) {
        stored = next;
        storedValue = value;
        storedSha1 = null;
        storedId = id;
        changes.clear();
        updates.clear();
        maxInactiveChange = null;
    }

    /**
     * Another request wrote first ({@code current}, as {@code value}): rebase this request's changes onto it. Plain
     * changes keep this request's value (unless {@code rejectSameAttribute}); atomic updates are computed again from
     * the newer value.
     *
     * @throws AttributeConflictException with {@code rejectSameAttribute}, when the other request changed an
     *         attribute this request set too
     * @throws RuntimeException what an update's function throws
     */
    void rebase(SessionDocument current, byte[] value, boolean rejectSameAttribute) {
        if (rejectSameAttribute) {
            for (String name : changes.keySet()) {
                if (!updates.containsKey(name) && !Objects.equals(stored.attribute(name), current.attribute(name))) {
                    throw new AttributeConflictException(List.of(name), "another request changed it after this one "
                            + "read it (quarkus.redis-session.same-attribute-conflict=reject)");
                }
            }
        }
        stored = current;
        storedValue = value;
        storedSha1 = null;
        values.keySet().retainAll(changes.keySet());
        for (Map.Entry<String, UnaryOperator<Object>> update : updates.entrySet()) {
            String name = update.getKey();
            JsonNode json = current.attribute(name);
            Object next = update.getValue()
                    .apply(json == null ? null : codec.decode(name, json, current.attributeType(name)));
            if (next == null) {
                changes.put(name, null);
                values.remove(name);
            } else {
                put(name, next);
            }
        }
        baselines.keySet().retainAll(values.keySet());
    }

    String creatorAddress() {
        return creatorAddress;
    }

    /** The attributes this request changes (set, removed or updated). */
    Set<String> changedAttributes() {
        return changes.keySet();
    }
}
