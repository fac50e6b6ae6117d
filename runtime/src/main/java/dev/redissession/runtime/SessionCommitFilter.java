package dev.redissession.runtime;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.InvalidTenantException;
import dev.redissession.SessionStoreUnavailableException;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * First filter of the deployment: saves the request's session changes before the response is committed, and
 * answers 400 for an invalid tenant and 503 when Redis is unavailable, with a message that says what to do.
 */
public class SessionCommitFilter extends HttpFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServerExchange exchange = ServletRequestContext.requireCurrent().getExchange();
        RedisSessionManager.startRequest(exchange);
        try {
            chain.doFilter(request, response);
            RedisSession session = RedisSessionManager.finishRequest(exchange);
            if (session != null) {
                session.commit();
            }
        } catch (IOException | ServletException | RuntimeException e) {
            if (!answer(e, response)) {
                throw e;
            }
        }
    }

    private static boolean answer(Throwable failure, HttpServletResponse response) throws IOException {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTenantException) {
                return write(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_tenant", cause.getMessage());
            }
            if (cause instanceof SessionStoreUnavailableException) {
                response.setHeader("Retry-After", "1");
                return write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "session_store_unavailable",
                        cause.getMessage());
            }
        }
        return false;
    }

    private static boolean write(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        String retryAfter = response.getHeader("Retry-After");
        response.reset();
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfter);
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getWriter(), java.util.Map.of("error", error, "message", message));
        return true;
    }
}
