package dev.redissession.servlet.runtime;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jboss.logging.Logger;

import dev.redissession.runtime.failure.FailureKind;
import dev.redissession.runtime.failure.SessionFailure;
import dev.redissession.runtime.store.FailureLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * First filter of the deployment: saves the request's session changes before the response is committed, and
 * answers a failure of the session store as {@link SessionFailure} says, with a JSON message that says what to do.
 */
public class SessionCommitFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(SessionCommitFilter.class);
    /** A client (or many) sending too many cookies on every request writes one line a minute, not one per request. */
    private static final FailureLog REFUSED_COOKIES = new FailureLog(LOG::warn, Duration.ofMinutes(1),
            System::nanoTime);

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
            if (failure == null) {
                failure = refusedCookies(exchange);
            }
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

    /**
     * The answer when Undertow refuses the request's cookies (more than its limit of 200: UT000046, thrown to whatever
     * reads them first, such as {@code getCookies()}), which would otherwise be a 500 with an HTML page and a stack
     * trace logged per request; {@code null} when it accepts them. Undertow parses them again on each call, so asking
     * once more tells.
     */
    private static SessionFailure refusedCookies(HttpServerExchange exchange) {
        try {
            exchange.getRequestCookies();
            return null;
        } catch (IllegalStateException e) {
            REFUSED_COOKIES.failed("cookies", "Answered 400 too_many_cookies to a request from "
                    + new ExchangeRequest(exchange).remoteAddress() + ": " + e.getMessage());
            return new SessionFailure(FailureKind.TOO_MANY_COOKIES, "The request carries more cookies than this "
                    + "server accepts (" + e.getMessage() + "); delete this site's cookies in the browser and retry.",
                    null, 0);
        }
    }
}
