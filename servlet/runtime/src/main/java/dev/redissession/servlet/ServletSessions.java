package dev.redissession.servlet;

import java.util.function.UnaryOperator;

import jakarta.servlet.http.HttpSession;

import dev.redissession.SessionRequest;
import dev.redissession.TenantResolver;
import dev.redissession.servlet.runtime.ExchangeRequest;
import dev.redissession.servlet.runtime.UndertowSession;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.servlet.spec.HttpSessionImpl;

/** What servlet code gets beyond {@code HttpSession}: atomic updates, and the request as the tenant SPI sees it. */
public final class ServletSessions {

    private ServletSessions() {
    }

    /**
     * Replaces the attribute with {@code function} of its current value, atomically: when another request changed
     * the session before this one is saved, the function is applied again to the newer stored value (up to
     * {@code quarkus.redis-session.max-write-retries} times, then 409 {@code attribute_conflict}), so N parallel
     * updates leave the result of N sequential ones. The function must be free of side effects: it may run more than
     * once; a {@code null} result removes the attribute.
     *
     * <pre>
     * List&lt;Object&gt; cart = ServletSessions.update(session, "cart", (List&lt;Object&gt; old) -&gt; withItem(old, item));
     * </pre>
     *
     * A session the store does not keep (built with {@code quarkus.redis-session.enabled=false}: the container's own,
     * in this JVM only) is updated under its lock, with no conflict to retry.
     *
     * @return the new value as computed from the value this request sees now
     */
    @SuppressWarnings("unchecked")
    public static <T> T update(HttpSession session, String name, UnaryOperator<T> function) {
        if (session instanceof HttpSessionImpl servlet && servlet.getSession() instanceof UndertowSession ours) {
            return ours.update(name, function);
        }
        synchronized (session) {
            T next = function.apply((T) session.getAttribute(name));
            session.setAttribute(name, next); // null removes it
            return next;
        }
    }

    /**
     * The neutral view of the servlet request being served, for code that asks the {@link TenantResolver} itself:
     * {@code tenants.resolve(ServletSessions.currentRequest())}.
     *
     * @throws IllegalStateException outside of a servlet request's thread
     */
    public static SessionRequest currentRequest() {
        ServletRequestContext context = ServletRequestContext.current();
        if (context == null) {
            throw new IllegalStateException("No servlet request is being served on this thread");
        }
        return new ExchangeRequest(context.getExchange());
    }
}
