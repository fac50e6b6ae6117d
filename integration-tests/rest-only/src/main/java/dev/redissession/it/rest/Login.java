package dev.redissession.it.rest;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /demo/login}, validated as the contract says: an object with the string {@code user_id}
 * (required, non-empty), the optional strings {@code email} and {@code name}, and {@code roles}, a list of strings that
 * defaults to empty. Each refusal is a 400 {@code invalid_login} naming the field and what it got.
 */
record Login(String userId, String email, String name, List<String> roles) {

    static Login of(JsonNode body) {
        requireObject(body);
        String userId = Optional.ofNullable(optionalString(body, "user_id")).filter(id -> !id.isBlank())
                .orElseThrow(() -> invalid("'user_id' is required and must be a non-empty string"));
        return new Login(userId, optionalString(body, "email"), optionalString(body, "name"), roles(body));
    }

    /** The stored user: these fields in this order (JSON null removes what an earlier login stored). */
    Map<String, Object> attributes(String tenant) {
        Map<String, Object> user = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : List.<Map.Entry<String, Object>> of(entry("user_id", userId),
                entry("tenant_id", tenant), entry("email", email), entry("name", name), entry("roles", roles))) {
            user.put(field.getKey(), field.getValue());
        }
        return user;
    }

    private static Map.Entry<String, Object> entry(String name, Object value) {
        return new AbstractMap.SimpleEntry<>(name, value); // Map.entry refuses the nulls that remove a field
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw invalid("The login body must be a JSON object like "
                    + "{\"user_id\":\"u-1\",\"email\":\"a@example.com\",\"name\":\"A\",\"roles\":[\"user\"]}");
        }
    }

    /** The field's text; {@code null} when absent or JSON null. */
    private static String optionalString(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        throw invalid("'" + field + "' must be a string, got " + kind(value));
    }

    private static List<String> roles(JsonNode body) {
        JsonNode roles = body.path("roles");
        List<String> result = new ArrayList<>();
        if (roles.isArray()) {
            int index = 0;
            for (JsonNode role : roles) {
                if (!role.isTextual()) {
                    throw invalid("'roles' must be a list of strings, but roles[" + index + "] is " + kind(role));
                }
                result.add(role.textValue());
                index++;
            }
        } else if (!roles.isMissingNode() && !roles.isNull()) {
            throw invalid("'roles' must be a list of strings, got " + kind(roles));
        }
        return List.copyOf(result);
    }

    /** What a wrong value is, as the messages tell it: {@code number 7}, {@code string "admin"}. */
    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    private static ContractError invalid(String message) {
        return ContractError.badRequest("invalid_login", message);
    }
}
