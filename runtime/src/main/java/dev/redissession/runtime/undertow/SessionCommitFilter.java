package dev.redissession.runtime.undertow;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.redissession.runtime.codec.ExtensionJson;
import dev.redissession.runtime.failure.SessionFailure;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * First filter of the deployment: saves the request's session changes before the response is committed, and
 * answers a failure of the session store as {@link SessionFailure} says (400 invalid tenant, 409 session gone, 503
 * Redis unavailable) with a JSON message that says what to do.
 */
public class SessionCommitFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServerExchange exchange = ServletRequestContext.requireCurrent().getExchange();
        RequestSessions.open(exchange);
        try {
            chain.doFilter(request, response);
            // An async request goes on after this dispatch: its session stays reachable until it completes.
            UndertowSession session = request.isAsyncStarted() ? RequestSessions.used(exchange)
                    : RequestSessions.close(exchange);
            if (session != null) {
                session.commit(exchange);
            }
        } catch (IOException | ServletException | RuntimeException e) {
            // A failed lookup must not be retried by Undertow when the response completes.
            UndertowSession session = RequestSessions.close(exchange);
            SessionFailure failure = SessionFailure.of(e);
            if (failure == null || response.isCommitted()) {
                throw e;
            }
            if (session != null) {
                session.restoreCookie(exchange);
            }
            write(response, failure);
        }
    }

    private static void write(HttpServletResponse response, SessionFailure failure) throws IOException {
        response.reset();
        if (failure.retryable()) {
            response.setHeader("Retry-After", SessionFailure.RETRY_AFTER_SECONDS);
        }
        response.setStatus(failure.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        ExtensionJson.MAPPER.writeValue(response.getWriter(), failure.body());
    }
}
