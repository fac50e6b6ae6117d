package dev.redissession.servlet;

import dev.redissession.SessionRequest;
import dev.redissession.TenantResolver;
import dev.redissession.servlet.runtime.ExchangeRequest;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * The neutral view of the servlet request being served, for application code that asks the {@link TenantResolver}
 * itself: {@code tenants.resolve(ServletSessionRequests.current())}.
 */
public final class ServletSessionRequests {

    private ServletSessionRequests() {
    }

    /**
     * @throws IllegalStateException outside of a servlet request's thread
     */
    public static SessionRequest current() {
        ServletRequestContext context = ServletRequestContext.current();
        if (context == null) {
            throw new IllegalStateException("No servlet request is being served on this thread");
        }
        return new ExchangeRequest(context.getExchange());
    }
}
