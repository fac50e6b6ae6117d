package dev.redissession.rest.deployment;

import dev.redissession.deployment.SessionScopedDoorBuildItem;
import dev.redissession.deployment.SessionStoreEnabled;
import dev.redissession.rest.runtime.RedisSessionProducer;
import dev.redissession.rest.runtime.RestSessionFilters;
import dev.redissession.rest.runtime.RouteSessionFailures;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;

/** The quarkus-rest and Vert.x routes door: the injectable session, its save filter and its failure answers. */
class RestSessionProcessor {

    /**
     * Always, so that an application built with the store off still starts; using the session then says why there is
     * none.
     */
    @BuildStep
    AdditionalBeanBuildItem sessionBean() {
        return AdditionalBeanBuildItem.unremovableOf(RedisSessionProducer.class);
    }

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    AdditionalBeanBuildItem routeFailures() {
        return AdditionalBeanBuildItem.unremovableOf(RouteSessionFailures.class);
    }

    /** Quarkus-rest finds its filters and exception mappers in the index. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    AdditionalIndexedClassesBuildItem filters() {
        return new AdditionalIndexedClassesBuildItem(RestSessionFilters.class.getName());
    }

    /**
     * Quarkus-rest resources and Vert.x routes are served outside any servlet request, where no extension provides a
     * session context: ArC's hint to add one "such as Undertow extension" is wrong here, with or without Undertow.
     */
    @BuildStep
    SessionScopedDoorBuildItem sessionScopedBeans() {
        return new SessionScopedDoorBuildItem("in quarkus-rest resources and Vert.x routes it is not active: using it "
                + "throws ContextNotActiveException, and adding the Undertow extension, as that exception's hint "
                + "suggests, does not change it", "the injected RedisSession in quarkus-rest resources");
    }
}
