package dev.redissession.deployment;

import dev.redissession.runtime.config.SessionConfigRecorder;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;

/** Fails the start when a run-time value of the session store breaks its rule, before any request can. */
class ConfigCheckProcessor {

    @BuildStep(onlyIf = RedisSessionProcessor.Enabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    ServiceStartBuildItem checkConfig(SessionConfigRecorder recorder, RedisSessionBuildTimeConfig config) {
        recorder.check(config.sessionClient());
        return new ServiceStartBuildItem("redis-session-config-check");
    }
}
