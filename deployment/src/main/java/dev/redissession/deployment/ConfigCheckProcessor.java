package dev.redissession.deployment;

import dev.redissession.runtime.config.SessionConfigRecorder;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.undertow.deployment.WebMetadataBuildItem;

/**
 * Fails the start when a run-time value of the session store breaks its rule, before any request can, and warns when
 * web.xml overrides a property.
 */
class ConfigCheckProcessor {

    @BuildStep(onlyIf = RedisSessionProcessor.Enabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    ServiceStartBuildItem checkConfig(SessionConfigRecorder recorder, RedisSessionBuildTimeConfig config,
            WebMetadataBuildItem webXml) {
        recorder.check(config.sessionClient(), RedisSessionProcessor.sessionTimeoutMinutes(webXml));
        return new ServiceStartBuildItem("redis-session-config-check");
    }
}
