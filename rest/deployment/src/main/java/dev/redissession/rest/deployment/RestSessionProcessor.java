package dev.redissession.rest.deployment;

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
}
