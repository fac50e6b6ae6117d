package dev.redissession.deployment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;

import dev.redissession.SessionAttributeType;
import dev.redissession.TenantResolver;
import dev.redissession.runtime.RedisSessionRecorder;
import dev.redissession.runtime.codec.SessionCodec;
import dev.redissession.runtime.expiry.ExpirySweeper;
import dev.redissession.runtime.metrics.NoSessionMetrics;
import dev.redissession.runtime.purge.TenantPurgeService;
import dev.redissession.runtime.session.DeploymentSessionTimeout;
import dev.redissession.runtime.session.RequestSessionFactory;
import dev.redissession.runtime.session.SessionEnds;
import dev.redissession.runtime.session.SessionRepository;
import dev.redissession.runtime.store.ClusterClients;
import dev.redissession.runtime.store.RedisClock;
import dev.redissession.runtime.store.RedisSessionStore;
import dev.redissession.runtime.store.SessionClientName;
import dev.redissession.runtime.store.SessionRedis;
import dev.redissession.runtime.store.StoreProbe;
import dev.redissession.runtime.tenant.DefaultTenantResolver;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.redis.deployment.client.RequestedRedisClientBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;

class RedisSessionProcessor {

    private static final String FEATURE = "redis-session";
    private static final DotName ATTRIBUTE_TYPE = DotName.createSimple(SessionAttributeType.class);
    /*
     * By name: these classes implement or use types of optional dependencies, which the build's class path lacks when
     * the application does not have them, so loading them here would fail.
     */
    private static final String READINESS_CHECK = "dev.redissession.runtime.health.SessionStoreReadinessCheck";
    private static final String WELLNESS_CHECK = "dev.redissession.runtime.health.SessionStoreWellnessCheck";
    /**
     * The Redis client's own readiness check ("Redis connection health check"), by the property that turns a check
     * off at run time ({@code quarkus.smallrye-health.check."<class>".enabled}).
     */
    static final String REDIS_CLIENT_CHECK_ENABLED = "quarkus.smallrye-health.check.\"io.quarkus.redis.runtime.client.health.RedisHealthCheck\".enabled";
    private static final String MICROMETER_METRICS = "dev.redissession.runtime.metrics.MicrometerSessionMetrics";
    /** Quarkus's graceful-shutdown wait for requests in flight; unset in Quarkus, so SIGTERM cuts them. */
    static final String SHUTDOWN_TIMEOUT = "quarkus.shutdown.timeout";
    /** Long enough for a request held by a slow Redis (the store's own default deadline is 5 s) to finish. */
    static final String DEFAULT_SHUTDOWN_TIMEOUT = "10s";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    @Record(ExecutionTime.STATIC_INIT)
    void redisClient(RedisSessionRecorder recorder, RedisSessionBuildTimeConfig config,
            BuildProducer<RequestedRedisClientBuildItem> clients, BuildProducer<SyntheticBeanBuildItem> beans) {
        String name = config.sessionClient();
        clients.produce(new RequestedRedisClientBuildItem(name));
        beans.produce(SyntheticBeanBuildItem.configure(SessionClientName.class).scope(Singleton.class)
                .unremovable().supplier(recorder.clientName(name)).done());
    }

    /**
     * The web.xml session timeout (from the servlet door), which takes precedence over
     * {@code quarkus.redis-session.idle-timeout}; none without a servlet container.
     */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem deploymentTimeout(RedisSessionRecorder recorder,
            Optional<DeploymentSessionTimeoutBuildItem> webXml) {
        return SyntheticBeanBuildItem.configure(DeploymentSessionTimeout.class).scope(Singleton.class).unremovable()
                .supplier(recorder.deploymentTimeout(webXml.map(DeploymentSessionTimeoutBuildItem::minutes).orElse(null)))
                .done();
    }

    /**
     * Without a shutdown timeout Quarkus closes the HTTP server at once on SIGTERM: a request in flight gets no answer
     * although Redis may still apply its session write. With one, Quarkus waits for requests in flight (up to the
     * timeout) before it stops the beans, so the store's connections close only after their writes are answered.
     * A default only: the application's own value wins.
     */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    RunTimeConfigurationDefaultBuildItem shutdownTimeout() {
        return new RunTimeConfigurationDefaultBuildItem(SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    AdditionalBeanBuildItem beans() {
        return AdditionalBeanBuildItem.builder().setUnremovable()
                // ClusterClients is looked up by Quarkus as a RedisOptionsCustomizer, never injected by the app
                .addBeanClasses(SessionRedis.class, ClusterClients.class, RedisSessionStore.class, RedisClock.class,
                        SessionRepository.class,
                        RequestSessionFactory.class, SessionEnds.class, ExpirySweeper.class,
                        TenantPurgeService.class, NoSessionMetrics.class)
                .build();
    }

    /**
     * The store's health check, only for an application with quarkus-smallrye-health (an optional dependency), as a
     * readiness or a wellness check. With it, the Redis client's own readiness check is off by default: it PINGs every
     * node without a deadline of its own below {@code quarkus.redis.timeout} (a black-holed Redis holds readiness
     * for 10 s) and is DOWN when one cluster master is, which takes every replica out of the Service at once. The
     * application's own value of the property wins.
     */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    void healthCheck(Capabilities capabilities, RedisSessionBuildTimeConfig config,
            BuildProducer<AdditionalBeanBuildItem> beans, BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH) && config.health().enabled()) {
            String check = config.health().kind() == RedisSessionBuildTimeConfig.Health.Kind.WELLNESS ? WELLNESS_CHECK
                    : READINESS_CHECK;
            beans.produce(AdditionalBeanBuildItem.builder().setUnremovable()
                    .addBeanClasses(StoreProbe.class.getName(), check).build());
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(REDIS_CLIENT_CHECK_ENABLED, "false"));
        }
    }

    /**
     * The Micrometer meters, only for an application with quarkus-micrometer (an optional dependency); otherwise the
     * default {@link NoSessionMetrics} observer ignores every event.
     */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    void metrics(Optional<MetricsCapabilityBuildItem> metricsCapability, RedisSessionBuildTimeConfig config,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (metricsCapability.map(m -> m.metricsSupported(MetricsFactory.MICROMETER)).orElse(false)
                && config.metrics().enabled()) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(MICROMETER_METRICS));
        }
    }

    /**
     * The configured tenant strategy stays available with the store switched off: application code (the demo's
     * login) may ask it which tenant a request belongs to.
     */
    @BuildStep
    AdditionalBeanBuildItem tenantResolver() {
        return AdditionalBeanBuildItem.unremovableOf(DefaultTenantResolver.class);
    }

    /** The session manager looks the resolver up programmatically: keep the application's own one too. */
    @BuildStep(onlyIf = SessionStoreEnabled.class)
    UnremovableBeanBuildItem tenantResolvers() {
        return UnremovableBeanBuildItem.beanTypes(TenantResolver.class);
    }

    @BuildStep(onlyIf = SessionStoreEnabled.class)
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem codec(RedisSessionRecorder recorder, CombinedIndexBuildItem index,
            RedisSessionBuildTimeConfig config, BuildProducer<ReflectiveClassBuildItem> reflection) {
        Map<String, String> types = new LinkedHashMap<>();
        for (AnnotationInstance annotation : index.getIndex().getAnnotations(ATTRIBUTE_TYPE)) {
            String className = annotation.target().asClass().name().toString();
            AnnotationValue name = annotation.value();
            register(types, name == null || name.asString().isEmpty() ? className : name.asString(), className);
        }
        config.attributeTypes().ifPresent(classes -> classes.forEach(className -> register(types, className, className)));
        if (!types.isEmpty()) {
            reflection.produce(ReflectiveClassBuildItem.builder(types.values().toArray(String[]::new))
                    .constructors().methods().fields().build());
        }
        return SyntheticBeanBuildItem.configure(SessionCodec.class).scope(Singleton.class).unremovable()
                .supplier(recorder.codec(types)).done();
    }

    private static void register(Map<String, String> types, String name, String className) {
        String previous = types.put(name, className);
        if (previous != null && !previous.equals(className)) {
            throw new IllegalStateException("Session attribute type name '" + name + "' is used by both " + previous
                    + " and " + className + ": give one of them another @SessionAttributeType(\"...\")");
        }
    }
}
