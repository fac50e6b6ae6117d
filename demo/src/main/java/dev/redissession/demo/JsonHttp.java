package dev.redissession.demo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON in and out of the demo servlets: reads request bodies, writes values, and writes errors as
 * {@code {"error": code, "message": text}}, the shape the extension's own 400/503 answers use.
 */
@Singleton
public class JsonHttp {

    @Inject
    ObjectMapper mapper;

    /** A request body that is not the JSON the endpoint expects; answered with 400. */
    public static class BadRequest extends Exception {
        private final String code;

        public BadRequest(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** Parses the request body as one JSON value; an empty or malformed body is a {@link BadRequest}. */
    public JsonNode readBody(HttpServletRequest request) throws IOException, BadRequest {
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw new BadRequest("invalid_json", "The request body is empty; send a JSON value");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The plain Java value (String, Number, Boolean, List, Map) of a JSON tree, as session attributes hold it. */
    public Object toValue(JsonNode json) {
        return mapper.convertValue(json, Object.class);
    }

    public void write(HttpServletResponse response, int status, Object value) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // To a buffer first: the response must not be committed before the session is saved.
        response.getOutputStream().write(mapper.writeValueAsBytes(value));
    }

    public void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        write(response, status, body);
    }

    /**
     * The request's session, or {@code null} after answering 401 {@code no_session}: for the endpoints that only
     * read a logged-in session.
     */
    public HttpSession sessionOr401(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session == null) {
            error(response, HttpServletResponse.SC_UNAUTHORIZED, "no_session",
                    "No session for this cookie and tenant: log in with POST /demo/login");
        }
        return session;
    }

    public void error(HttpServletResponse response, BadRequest bad) throws IOException {
        error(response, HttpServletResponse.SC_BAD_REQUEST, bad.code(), bad.getMessage());
    }
}
