package dev.redissession.deployment;

import java.util.List;

import jakarta.enterprise.context.SessionScoped;

import org.jboss.logging.Logger;

import io.quarkus.arc.deployment.ValidationPhaseBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;

/**
 * Warns, per {@code @SessionScoped} bean, what it will do behind each door the application has: neither door keeps
 * such beans in Redis, and ArC's own hint at run time ("such as Undertow extension") is wrong for both.
 */
class SessionScopedProcessor {

    private static final Logger LOG = Logger.getLogger(SessionScopedProcessor.class);

    /** The errors producer only makes the build run this step in the validation phase; it reports none. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    void warnAboutSessionScopedBeans(ValidationPhaseBuildItem validation, List<SessionScopedDoorBuildItem> doors,
            BuildProducer<ValidationErrorBuildItem> errors) {
        if (doors.isEmpty()) {
            return; // no door: no request reaches a session, whatever the bean does
        }
        validation.getContext().beans().withScope(SessionScoped.class).stream()
                .map(bean -> bean.isClassBean() ? bean.getBeanClass().toString()
                        : bean.getTarget().map(Object::toString).orElse(bean.getBeanClass().toString()))
                .sorted()
                .forEach(bean -> LOG.warn(SessionScopedWarning.line(bean, doors)));
    }
}
