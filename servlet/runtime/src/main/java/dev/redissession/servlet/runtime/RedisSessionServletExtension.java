package dev.redissession.servlet.runtime;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;

import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;

/**
 * Installs the Redis session manager, the id transport ({@link CookieSessionIds}) and the commit filter into the
 * servlet deployment.
 */
public class RedisSessionServletExtension implements ServletExtension {

    private static final String FILTER = "redis-session-commit";

    @Override
    public void handleDeployment(DeploymentInfo deploymentInfo, ServletContext servletContext) {
        CookieSessionIds ids = new CookieSessionIds(servletContext.getSessionCookieConfig());
        deploymentInfo.setSessionManagerFactory(
                deployment -> new RedisSessionManager(deployment.getDeploymentInfo().getDeploymentName(), ids));
        deploymentInfo.setSessionConfigWrapper((undertows, deployment) -> ids);
        deploymentInfo.addFilter(Servlets.filter(FILTER, SessionCommitFilter.class,
                new ImmediateInstanceFactory<>(new SessionCommitFilter())).setAsyncSupported(true));
        // First in the chain, so no other filter touches the session outside of it; async continuations and error
        // pages reach the session through it too.
        for (DispatcherType dispatch : new DispatcherType[] { DispatcherType.ERROR, DispatcherType.ASYNC,
                DispatcherType.REQUEST }) {
            deploymentInfo.insertFilterUrlMapping(0, FILTER, "/*", dispatch);
        }
    }
}
