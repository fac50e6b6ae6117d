package dev.redissession.runtime.codec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.redissession.runtime.codec.SessionDocument.EncodedAttribute;

/**
 * Turns session attributes into JSON and back. Only JSON values and the classes the application registered are
 * accepted; no JDK serialization and no default typing, and a type name read from Redis only ever selects a
 * registered class.
 */
public final class SessionCodec {

    private static final Logger LOG = Logger.getLogger(SessionCodec.class);
    private static final Set<Class<?>> JSON_SCALARS = Set.of(String.class, Boolean.class, Integer.class, Long.class,
            Short.class, Byte.class, Double.class, Float.class, BigInteger.class, BigDecimal.class);

    /** Deeper values are refused at {@code setAttribute}; no real session needs more, and parsers limit depth. */
    static final int MAX_DEPTH = 64;

    /** Per class: whether its values can never change in place. */
    private final Map<Class<?>, Boolean> immutable = new java.util.concurrent.ConcurrentHashMap<>();

    private final ObjectMapper mapper;
    private final Map<String, Class<?>> typesByName = new HashMap<>();
    private final Map<Class<?>, String> namesByType = new HashMap<>();

    /** @param registeredTypes type name stored in Redis to class */
    public SessionCodec(Map<String, Class<?>> registeredTypes) {
        registeredTypes.forEach((name, type) -> {
            typesByName.put(name, type);
            namesByType.put(type, name);
        });
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .polymorphicTypeValidator(new RegisteredOnly())
                .build();
    }

    /**
     * @throws CorruptSessionException when {@code raw} is not a JSON object
     */
    public SessionDocument parse(byte[] raw) {
        JsonNode node;
        try {
            node = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new CorruptSessionException("it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CorruptSessionException("it is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new CorruptSessionException("it is JSON but not an object");
        }
        return SessionDocument.wrap(object);
    }

    public byte[] write(SessionDocument document) {
        try {
            return mapper.writeValueAsBytes(document.root());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write session JSON", e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the attribute and the type when the value cannot be stored
     */
    public EncodedAttribute encode(String name, Object value) {
        if (SessionDocument.RESERVED.contains(name)) {
            throw new IllegalArgumentException("Session attribute name '" + name + "' is reserved for session metadata "
                    + SessionDocument.RESERVED + ": choose another name");
        }
        String type = namesByType.get(value.getClass());
        if (type == null) {
            String problem = jsonProblem(value);
            if (problem != null) {
                throw new IllegalArgumentException("Session attribute '" + name + "' cannot be stored in Redis: "
                        + problem + ". Store a JSON value (String, Number, Boolean, List, Map with String keys) "
                        + "or register the class with @SessionAttributeType or quarkus.redis-session.attribute-types");
            }
        }
        JsonNode json;
        byte[] bytes;
        try {
            json = mapper.valueToTree(value);
            int depth = depth(json);
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("it nests " + depth + " levels deep, more than the " + MAX_DEPTH
                        + " a session value may have");
            }
            bytes = mapper.writeValueAsBytes(json);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("Session attribute '" + name + "' of type " + value.getClass().getName()
                    + " cannot be stored as JSON: " + e.getMessage(), e);
        }
        return new EncodedAttribute(json, type, bytes.length);
    }

    /**
     * Whether {@code value}, made of plain JSON values (String, Integer, Long, BigInteger, Double, BigDecimal,
     * Boolean, null, List, Map with String keys), certainly encodes to {@code json}: the check at the end of a request
     * that a value held in place was not changed, without encoding it. {@code false} when unsure (another type, deeper
     * than {@link #MAX_DEPTH}): the caller then encodes and compares.
     */
    public boolean encodesTo(Object value, JsonNode json) {
        return encodesTo(value, json, 0);
    }

    private static boolean encodesTo(Object value, JsonNode json, int depth) {
        if (value == null) {
            return json.isNull();
        }
        if (value instanceof String text) {
            return json.isTextual() && text.equals(json.textValue());
        }
        if (value instanceof Boolean flag) {
            return json.isBoolean() && flag == json.booleanValue();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof BigInteger
                || value instanceof BigDecimal) {
            // type and value: IntNode(1) and LongNode(1) are different JSON nodes, as encode would tell
            return json.isNumber() && value.equals(json.numberValue());
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        if (value instanceof List<?> list) {
            if (!json.isArray() || json.size() != list.size()) {
                return false;
            }
            int i = 0;
            for (Object element : list) {
                if (!encodesTo(element, json.get(i++), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            if (!json.isObject() || json.size() != map.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                JsonNode field = entry.getKey() instanceof String name ? json.get(name) : null;
                if (field == null || !encodesTo(entry.getValue(), field, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** How deeply containers nest in {@code json} (a scalar is 0), without recursion. */
    private static int depth(JsonNode json) {
        int deepest = 0;
        java.util.ArrayDeque<Map.Entry<JsonNode, Integer>> pending = new java.util.ArrayDeque<>();
        pending.push(Map.entry(json, 0));
        while (!pending.isEmpty()) {
            Map.Entry<JsonNode, Integer> next = pending.pop();
            if (next.getKey().isContainerNode()) {
                int level = next.getValue() + 1;
                deepest = Math.max(deepest, level);
                if (level <= MAX_DEPTH) {
                    next.getKey().forEach(child -> pending.push(Map.entry(child, level)));
                }
            }
        }
        return deepest;
    }

    /**
     * @throws IllegalStateException when stored JSON does not fit the registered class it names
     */
    public Object decode(String name, JsonNode json, String type) {
        Class<?> target = Object.class;
        if (type != null) {
            Class<?> registered = typesByName.get(type);
            if (registered == null) {
                LOG.warnf("Session attribute '%s' names type '%s', which this application did not register; "
                        + "returning it as plain JSON values", name, type);
            } else {
                target = registered;
            }
        }
        try {
            return mapper.treeToValue(json, target);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Session attribute '" + name + "' holds JSON that does not fit "
                    + target.getName() + " (" + e.getMessage() + "); the stored value was left unchanged", e);
        }
    }

    /**
     * Whether {@code value} may change in place, so its JSON has to be compared at the end of a request: everything but
     * JSON scalars, enums and records whose components are all immutable (scalars, primitives, enums, {@code java.time}
     * values, {@code UUID}, such records).
     */
    public boolean canChangeInPlace(Object value) {
        return value != null && !immutable.computeIfAbsent(value.getClass(), SessionCodec::isImmutable);
    }

    private static boolean isImmutable(Class<?> type) {
        return isImmutable(type, new java.util.HashSet<>());
    }

    private static boolean isImmutable(Class<?> type, Set<Class<?>> visiting) {
        if (type.isPrimitive() || JSON_SCALARS.contains(type) || type.isEnum() || type == Character.class
                || type == java.util.UUID.class || type.getName().startsWith("java.time.") && !type.isInterface()) {
            return true;
        }
        if (!type.isRecord()) {
            return false;
        }
        if (!visiting.add(type)) {
            return true; // a record that contains itself: its other components decide
        }
        for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
            if (!isImmutable(component.getType(), visiting)) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code value} is not a JSON value, or {@code null} when it is one. */
    private String jsonProblem(Object value) {
        if (value == null || JSON_SCALARS.contains(value.getClass())) {
            if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
                return "the number " + value + " has no JSON form";
            }
            return null;
        }
        if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                String problem = jsonProblem(element);
                if (problem != null) {
                    return problem + " inside a " + value.getClass().getSimpleName();
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    return "a Map key of type " + typeName(entry.getKey()) + " is not a String";
                }
                String problem = jsonProblem(entry.getValue());
                if (problem != null) {
                    return problem + " inside a " + value.getClass().getSimpleName();
                }
            }
            return null;
        }
        return "it has type " + value.getClass().getName();
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Guards annotation-driven polymorphism inside registered classes: only registered classes may be named. */
    private final class RegisteredOnly extends PolymorphicTypeValidator.Base {
        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return typesByName.values().stream().anyMatch(t -> t.getName().equals(subClassName)) ? Validity.ALLOWED
                    : Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return namesByType.containsKey(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
        }
    }
}
