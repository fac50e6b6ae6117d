package dev.redissession.runtime.codec;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON value of one session, as services in other languages read it: attributes are top-level fields with
 * their plain JSON values, next to the metadata fields named by {@link #RESERVED}.
 */
public final class SessionDocument {

    /** The seed field that names the session's user; a session without it is anonymous. */
    private static final String USER_ID = "user_id";

    /** RFC 3339 UTC time the session was created; with the max lifetime it fixes the absolute deadline. */
    static final String CREATED_AT = "created_at";
    /**
     * RFC 3339 UTC time of the last request that used the session, as of the last write: requests that change nothing
     * write it only when it is older than {@code quarkus.redis-session.touch-interval}.
     */
    static final String LAST_ACCESSED_AT = "last_accessed_at";
    /** Idle timeout in seconds, present only when the application set one on this session. */
    static final String MAX_INACTIVE_INTERVAL = "max_inactive_interval";
    /** Attribute name to registered type name, present only when a registered type is stored. */
    static final String ATTRIBUTE_TYPES = "attribute_types";
    static final Set<String> RESERVED = Set.of(CREATED_AT, LAST_ACCESSED_AT, MAX_INACTIVE_INTERVAL, ATTRIBUTE_TYPES);

    private final ObjectNode root;
    /** The parsed times, each read once (every request asks for them): {@code null} until asked. */
    private Optional<Instant> createdAt;
    private Optional<Instant> lastAccessedAt;

    private SessionDocument(ObjectNode root) {
        this.root = root;
    }

    static SessionDocument wrap(ObjectNode root) {
        return new SessionDocument(root);
    }

    public static SessionDocument create(Instant now) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put(CREATED_AT, Timestamps.format(now));
        root.put(LAST_ACCESSED_AT, Timestamps.format(now));
        return new SessionDocument(root);
    }

    ObjectNode root() {
        return root;
    }

    public SessionDocument copy() {
        SessionDocument copy = new SessionDocument(root.deepCopy());
        copy.createdAt = createdAt;
        copy.lastAccessedAt = lastAccessedAt;
        return copy;
    }

    /** The creation time; a value written without one (or with a malformed one) counts as created at {@code fallback}. */
    public Instant createdAt(Instant fallback) {
        if (createdAt == null) {
            createdAt = instant(CREATED_AT);
        }
        return createdAt.orElse(fallback);
    }

    public Instant lastAccessedAt(Instant fallback) {
        if (lastAccessedAt == null) {
            lastAccessedAt = instant(LAST_ACCESSED_AT);
        }
        return lastAccessedAt.orElse(fallback);
    }

    /** Seconds, or {@code null} when the session uses the configured default. */
    public Integer maxInactiveInterval() {
        JsonNode node = root.get(MAX_INACTIVE_INTERVAL);
        return node != null && node.canConvertToInt() ? node.intValue() : null;
    }

    public List<String> attributeNames() {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!RESERVED.contains(name)) {
                names.add(name);
            }
        });
        return names;
    }

    public JsonNode attribute(String name) {
        return RESERVED.contains(name) ? null : root.get(name);
    }

    /**
     * The {@code user_id} field as text (a number too), {@code null} when there is none: what a {@code SessionEnded}
     * event names the session's user by.
     */
    public String userId() {
        JsonNode userId = root.get(USER_ID);
        return userId != null && (userId.isTextual() || userId.isNumber()) ? userId.asText() : null;
    }

    /** Without {@code user_id} (absent or JSON null) a session is anonymous: any client can make one. */
    public boolean isAnonymous() {
        JsonNode userId = root.get(USER_ID);
        return userId == null || userId.isNull();
    }

    public String attributeType(String name) {
        JsonNode types = root.get(ATTRIBUTE_TYPES);
        JsonNode type = types == null ? null : types.get(name);
        return type != null && type.isTextual() ? type.textValue() : null;
    }

    /**
     * Applies one request's changes; {@code null} in {@code attributes} removes that attribute. The access time only
     * ever moves forward: a request that merges onto a later request's write keeps that later time.
     *
     * @param created the creation time for a value that has none (or an unreadable one, from a foreign writer)
     * @param accessed when the request used the session
     */
    public void apply(Map<String, EncodedAttribute> attributes, Integer maxInactiveInterval, Instant created,
            Instant accessed) {
        if (createdAt(null) == null) {
            root.put(CREATED_AT, Timestamps.format(created));
            createdAt = null;
        }
        Instant last = lastAccessedAt(null);
        if (last == null || last.isBefore(accessed)) {
            root.put(LAST_ACCESSED_AT, Timestamps.format(accessed));
            lastAccessedAt = null;
        }
        if (maxInactiveInterval != null) {
            root.put(MAX_INACTIVE_INTERVAL, maxInactiveInterval);
        }
        for (Map.Entry<String, EncodedAttribute> change : attributes.entrySet()) {
            String name = change.getKey();
            EncodedAttribute value = change.getValue();
            if (value == null) {
                root.remove(name);
                setType(name, null);
            } else {
                root.set(name, value.json());
                setType(name, value.type());
            }
        }
    }

    private void setType(String name, String type) {
        JsonNode types = root.get(ATTRIBUTE_TYPES);
        if (type != null) {
            (types instanceof ObjectNode object ? object : root.putObject(ATTRIBUTE_TYPES)).put(name, type);
        } else if (types instanceof ObjectNode object) {
            object.remove(name);
            if (object.isEmpty()) {
                root.remove(ATTRIBUTE_TYPES);
            }
        }
    }

    private Optional<Instant> instant(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Timestamps.parse(node.textValue()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * An attribute value as stored: its JSON, for a registered class the type name written beside it, and the size of
     * its JSON in bytes.
     */
    public record EncodedAttribute(JsonNode json, String type, int bytes) {
    }
}
