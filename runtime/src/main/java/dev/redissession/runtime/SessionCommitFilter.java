package dev.redissession.runtime;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.InvalidTenantException;
import dev.redissession.SessionGoneException;
import dev.redissession.SessionStoreUnavailableException;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * First filter of the deployment: saves the request's session changes before the response is committed, and
 * answers 400 for an invalid tenant, 409 for a change to a session that ended meanwhile and 503 when Redis is
 * unavailable, with a message that says what to do.
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
            // An async request goes on after this dispatch: its session stays reachable until it completes.
            RedisSession session = request.isAsyncStarted() ? RedisSessionManager.sessionOf(exchange)
                    : RedisSessionManager.finishRequest(exchange);
            if (session != null) {
                session.commit(exchange);
            }
        } catch (IOException | ServletException | RuntimeException e) {
            // A failed lookup must not be retried by Undertow when the response completes.
            RedisSession session = RedisSessionManager.finishRequest(exchange);
            Answer answer = answerFor(e);
            if (answer == null || response.isCommitted()) {
                throw e;
            }
            if (session != null) {
                session.restoreCookie(exchange);
            }
            write(response, answer);
        }
    }

    /** The status for a failure of the session store, or 500 for any other failure. */
    static int statusFor(Throwable failure) {
        Answer answer = answerFor(failure);
        return answer == null ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : answer.status();
    }

    /** What the client is told for a failure of the session store, or {@code null} for any other failure. */
    private static Answer answerFor(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTenantException) {
                return new Answer(HttpServletResponse.SC_BAD_REQUEST, "invalid_tenant", cause.getMessage(), false);
            }
            if (cause instanceof SessionGoneException) {
                return new Answer(HttpServletResponse.SC_CONFLICT, "session_gone", cause.getMessage(), false);
            }
            if (cause instanceof SessionStoreUnavailableException unavailable) {
                return new Answer(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "session_store_unavailable",
                        cause.getMessage(), unavailable.isTransient());
            }
        }
        return null;
    }

    private record Answer(int status, String error, String message, boolean retrySoon) {
    }

    private static void write(HttpServletResponse response, Answer answer) throws IOException {
        response.reset();
        if (answer.retrySoon()) {
            response.setHeader("Retry-After", "1");
        }
        response.setStatus(answer.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getWriter(), Map.of("error", answer.error(), "message", answer.message()));
    }
}
