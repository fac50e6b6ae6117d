package dev.redissession.servlet.deployment;

import org.jboss.metadata.web.spec.SessionConfigMetaData;

import dev.redissession.deployment.DeploymentSessionTimeoutBuildItem;
import dev.redissession.deployment.SessionScopedDoorBuildItem;
import dev.redissession.deployment.SessionStoreEnabled;
import dev.redissession.servlet.runtime.RedisSessionServletExtension;
import dev.redissession.servlet.runtime.ServletSessionEnds;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.undertow.deployment.ServletExtensionBuildItem;
import io.quarkus.undertow.deployment.WebMetadataBuildItem;

/** The servlet door: Undertow's session manager over the core, and what {@code web.xml} tells the core. */
class ServletSessionProcessor {

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    ServletExtensionBuildItem sessionManager() {
        return new ServletExtensionBuildItem(new RedisSessionServletExtension());
    }

    /** Tells the servlet listeners of ends outside a servlet's {@code invalidate()}. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    AdditionalBeanBuildItem sessionEnds() {
        return AdditionalBeanBuildItem.unremovableOf(ServletSessionEnds.class);
    }

    /** {@code <session-config><session-timeout>}, which takes precedence over the idle-timeout property. */
    @BuildStep
    DeploymentSessionTimeoutBuildItem deploymentTimeout(WebMetadataBuildItem webXml) {
        SessionConfigMetaData sessionConfig = webXml.getWebMetaData().getSessionConfig();
        return new DeploymentSessionTimeoutBuildItem(
                sessionConfig != null && sessionConfig.getSessionTimeoutSet() ? sessionConfig.getSessionTimeout() : null);
    }

    /**
     * Undertow keeps {@code @SessionScoped} instances in a session attribute of its own ({@code io.quarkus.*}), which
     * the store keeps for the current request only: such beans would silently start afresh on every request.
     */
    @BuildStep
    SessionScopedDoorBuildItem sessionScopedBeans() {
        return new SessionScopedDoorBuildItem("in servlets it lives for one request only (request-local: it starts "
                + "afresh on every request, on every replica)", "HttpSession attributes or ServletSessions in servlets");
    }
}
