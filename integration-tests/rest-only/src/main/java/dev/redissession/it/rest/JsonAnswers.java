package dev.redissession.it.rest;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON in and out of the resources, byte for byte as the demo's servlets answer: request bodies parsed here (so an
 * empty or malformed one is the contract's 400, not the framework's), values and {@link ContractError}s written with
 * the app's {@link ObjectMapper}.
 */
@Singleton
public class JsonAnswers {

    @Inject
    ObjectMapper mapper;

    /** The request body as one JSON value; an empty or malformed body is a 400 {@code invalid_json}. */
    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ContractError.badRequest("invalid_json", "The request body is empty; send a JSON value");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ContractError.badRequest("invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** The request body as the plain Java value (String, Number, Boolean, List, Map) session attributes hold. */
    public Object parseValue(byte[] body) {
        return mapper.convertValue(parse(body), Object.class);
    }

    /**
     * {@code value} as JSON with {@code status}. Serialized here rather than by the entity writers, which would send
     * a {@code String} value as it is instead of as a JSON string.
     */
    public Response answer(Response.Status status, Object value) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(mapper.writeValueAsBytes(value))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a session value is always JSON", e);
        }
    }

    public Response ok(Object value) {
        return answer(Response.Status.OK, value);
    }

    @ServerExceptionMapper
    public Response error(ContractError error) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("message", error.getMessage());
        return answer(error.status(), body);
    }
}
