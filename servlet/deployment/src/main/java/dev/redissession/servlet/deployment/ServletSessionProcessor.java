package dev.redissession.servlet.deployment;

import java.util.List;

import jakarta.enterprise.context.SessionScoped;

import org.jboss.logging.Logger;
import org.jboss.metadata.web.spec.SessionConfigMetaData;

import dev.redissession.deployment.DeploymentSessionTimeoutBuildItem;
import dev.redissession.deployment.SessionStoreEnabled;
import dev.redissession.servlet.runtime.RedisSessionServletExtension;
import dev.redissession.servlet.runtime.ServletSessionEnds;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.undertow.deployment.ServletExtensionBuildItem;
import io.quarkus.undertow.deployment.WebMetadataBuildItem;

/** The servlet door: Undertow's session manager over the core, and what {@code web.xml} tells the core. */
class ServletSessionProcessor {

    private static final Logger LOG = Logger.getLogger(ServletSessionProcessor.class);

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
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    void warnAboutSessionScopedBeans(ValidationPhaseBuildItem validation,
            BuildProducer<ValidationErrorBuildItem> errors) {
        List<String> beans = validation.getContext().beans().withScope(SessionScoped.class).stream()
                .map(bean -> bean.isClassBean() ? bean.getBeanClass().toString()
                        : bean.getTarget().map(Object::toString).orElse(bean.getBeanClass().toString()))
                .sorted().toList();
        if (!beans.isEmpty()) {
            LOG.warn("@SessionScoped beans are not stored in Redis: with quarkus-redis-session each instance lives "
                    + "for one request only, on one replica, so its state is lost after every request: "
                    + String.join(", ", beans) + ". Keep session state in HttpSession attributes instead, as JSON "
                    + "values or as a class registered with @SessionAttributeType (or "
                    + "quarkus.redis-session.attribute-types): those are stored in Redis and shared by every replica.");
        }
    }
}
