package dev.redissession.deployment;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.runtime.store.RedisSessionStore;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;

/**
 * What a native image must contain besides the reachable code: what the store reads at run time. Not exercised by
 * this build (no native build here), kept next to the JVM behaviour it mirrors.
 */
class NativeImageProcessor {

    /** The compare-and-set script, loaded next to {@link RedisSessionStore} with {@code getResourceAsStream}. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    NativeImageResourceBuildItem writeScript() {
        String path = RedisSessionStore.class.getPackageName().replace('.', '/') + "/write-session.lua";
        if (RedisSessionStore.class.getClassLoader().getResource(path) == null) {
            throw new IllegalStateException(path + " is missing: the script must sit next to RedisSessionStore");
        }
        return new NativeImageResourceBuildItem(path);
    }

    /** Purge job state is stored as JSON and read back by Jackson's data binding, which needs reflection. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    ReflectiveClassBuildItem purgeJobJson() {
        return ReflectiveClassBuildItem.builder(PurgeJob.class, PurgeState.class).constructors().methods().fields()
                .build();
    }
}
