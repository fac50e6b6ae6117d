package dev.redissession.servlet.runtime;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.redissession.runtime.failure.SessionFailure;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * First filter of the deployment: saves the request's session changes before the response is committed, and
 * answers a failure of the session store as {@link SessionFailure} says, with a JSON message that says what to do.
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
            if (request.isAsyncStarted() ? RequestSessions.used(exchange) != null
                    : RequestSessions.close(exchange) != null) {
                RequestSessions.commit(exchange);
            }
        } catch (IOException | ServletException | RuntimeException e) {
            // A failed lookup must not be retried by Undertow when the response completes.
            RequestSessions.close(exchange);
            SessionFailure failure = SessionFailure.of(e);
            if (failure == null || response.isCommitted()) {
                throw e;
            }
            RequestSessions.failed(exchange);
            response.reset();
            failure.headers().forEach(response::setHeader);
            response.setStatus(failure.status());
            response.setContentType("application/json");
            response.getOutputStream().write(failure.json());
        }
    }
}
