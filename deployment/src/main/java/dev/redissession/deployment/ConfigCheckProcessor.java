package dev.redissession.deployment;

import java.util.Optional;

import dev.redissession.runtime.config.SessionConfigRecorder;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;

/**
 * Fails the start when a run-time value of the session store breaks its rule, before any request can, and warns when
 * web.xml overrides a property.
 */
class ConfigCheckProcessor {

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    ServiceStartBuildItem checkConfig(SessionConfigRecorder recorder, RedisSessionBuildTimeConfig config,
            Optional<DeploymentSessionTimeoutBuildItem> webXml) {
        recorder.check(config.sessionClient(), webXml.map(DeploymentSessionTimeoutBuildItem::minutes).orElse(null));
        return new ServiceStartBuildItem("redis-session-config-check");
    }
}
