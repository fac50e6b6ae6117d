package dev.redissession.deployment;

import java.util.stream.Stream;

import dev.redissession.PurgeJob;
import dev.redissession.PurgeState;
import dev.redissession.runtime.store.LuaScripts;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;

/**
 * What a native image must contain besides the reachable code: what the store reads at run time. No native build
 * runs here; NativeImageResourcesTest checks that every script is registered.
 */
class NativeImageProcessor {

    /** Every Lua script of {@link LuaScripts}, which loads them with {@code getResourceAsStream}. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    NativeImageResourceBuildItem luaScripts() {
        return new NativeImageResourceBuildItem(Stream.of(LuaScripts.values()).map(LuaScripts::resourcePath).toList());
    }

    /** Purge job state is stored as JSON and read back by Jackson's data binding, which needs reflection. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    ReflectiveClassBuildItem purgeJobJson() {
        return ReflectiveClassBuildItem.builder(PurgeJob.class, PurgeState.class).constructors().methods().fields()
                .build();
    }
}
