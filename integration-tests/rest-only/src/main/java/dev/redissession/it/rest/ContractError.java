package dev.redissession.it.rest;

import jakarta.ws.rs.core.Response;

/**
 * An answer of the contract other than success, thrown by a resource and written by {@link JsonAnswers} as
 * {@code {"error": code, "message": text}} with its status, the shape the extension's own 400/503 answers use.
 */
public class ContractError extends RuntimeException {

    private final Response.Status status;
    private final String code;

    public ContractError(Response.Status status, String code, String message) {
        super(message, null, false, false); // an answer, not a fault: no stack trace to fill
        this.status = status;
        this.code = code;
    }

    public static ContractError badRequest(String code, String message) {
        return new ContractError(Response.Status.BAD_REQUEST, code, message);
    }

    public Response.Status status() {
        return status;
    }

    public String code() {
        return code;
    }
}
