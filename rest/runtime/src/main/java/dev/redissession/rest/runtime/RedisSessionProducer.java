package dev.redissession.rest.runtime;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;

import dev.redissession.PassiveSession;
import dev.redissession.RedisSession;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/** Makes {@code @Inject RedisSession} work in quarkus-rest resources and {@code @Route} methods. */
@Singleton
public class RedisSessionProducer {

    @Produces
    @RequestScoped
    RedisSession session(CurrentVertxRequest current) {
        RoutingContext context = current.getCurrent();
        if (context == null) {
            throw new IllegalStateException("RedisSession was used outside of an HTTP request: it is the session of "
                    + "the current request of a quarkus-rest resource or a Vert.x route");
        }
        return RoutingContextSessions.open(context, servesPassive());
    }

    /**
     * Whether the quarkus-rest resource method serving the request, or its class, is annotated
     * {@code @PassiveSession}; {@code false} in a {@code @Route} method, which no quarkus-rest request serves.
     */
    private static boolean servesPassive() {
        ResteasyReactiveRequestContext rest = CurrentRequestManager.get();
        ResteasyReactiveResourceInfo resource = rest == null ? null : rest.getResteasyReactiveResourceInfo();
        return resource != null && (resource.getResourceMethod().isAnnotationPresent(PassiveSession.class)
                || resource.getResourceClass().isAnnotationPresent(PassiveSession.class));
    }
}
