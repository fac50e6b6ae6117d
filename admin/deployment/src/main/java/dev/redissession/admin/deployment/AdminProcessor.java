package dev.redissession.admin.deployment;

import dev.redissession.admin.runtime.SessionAdminResource;
import dev.redissession.deployment.RedisSessionBuildTimeConfig;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/** Adds the admin REST resource to the application, unless the admin API or the session store is switched off. */
class AdminProcessor {

    private static final String FEATURE = "redis-session-admin";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * The extension's jar is not indexed, so the resource exists only when indexed here. It needs the core's
     * {@code TenantPurge}, which exists only while {@code quarkus.redis-session.enabled} is on.
     */
    @BuildStep
    void sessionAdmin(RedisSessionBuildTimeConfig session, AdminBuildTimeConfig admin,
            BuildProducer<AdditionalIndexedClassesBuildItem> index, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (session.enabled() && admin.enabled()) {
            index.produce(new AdditionalIndexedClassesBuildItem(SessionAdminResource.class.getName()));
            beans.produce(AdditionalBeanBuildItem.unremovableOf(SessionAdminResource.class));
        }
    }
}
