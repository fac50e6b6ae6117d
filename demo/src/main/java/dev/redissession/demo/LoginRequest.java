package dev.redissession.demo;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /demo/login}: {@code {"user_id", "email", "name", "roles": [...]}}. Only {@code user_id}
 * is required; {@code roles} defaults to an empty list.
 */
public record LoginRequest(String userId, String email, String name, List<String> roles) {

    /** Validates {@code json}, saying exactly which field is wrong. */
    public static LoginRequest from(JsonNode json) throws JsonHttp.BadRequest {
        if (!json.isObject()) {
            throw invalid("The login body must be a JSON object like "
                    + "{\"user_id\":\"u-1\",\"email\":\"a@example.com\",\"name\":\"A\",\"roles\":[\"user\"]}");
        }
        String userId = text(json, "user_id");
        if (userId == null || userId.isBlank()) {
            throw invalid("'user_id' is required and must be a non-empty string");
        }
        return new LoginRequest(userId, text(json, "email"), text(json, "name"), roles(json.get("roles")));
    }

    /** The field as a string; {@code null} when absent or JSON null. */
    private static String text(JsonNode json, String field) throws JsonHttp.BadRequest {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("'" + field + "' must be a string, got " + describe(value));
        }
        return value.textValue();
    }

    private static List<String> roles(JsonNode roles) throws JsonHttp.BadRequest {
        if (roles == null || roles.isNull()) {
            return List.of();
        }
        if (!roles.isArray()) {
            throw invalid("'roles' must be a list of strings, got " + describe(roles));
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            JsonNode role = roles.get(i);
            if (!role.isTextual()) {
                throw invalid("'roles' must be a list of strings, but roles[" + i + "] is " + describe(role));
            }
            result.add(role.textValue());
        }
        return List.copyOf(result);
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    private static JsonHttp.BadRequest invalid(String message) {
        return new JsonHttp.BadRequest("invalid_login", message);
    }
}
