package dev.redissession.deployment.devservices;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CuratedApplicationShutdownBuildItem;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.DockerStatusBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.dev.devservices.DevServiceDescriptionBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.runtime.LaunchMode;

/**
 * Dev and test mode: gives the session's Redis client a private local {@code redis-server} when it has no hosts,
 * else leaves it to Quarkus' container Dev Services, else fails the start naming both ways out.
 */
class RedisSessionDevServicesProcessor {

    private static final Logger LOG = Logger.getLogger(RedisSessionDevServicesProcessor.class);
    private static final String FEATURE = "redis-session";

    // dev mode's server outlives each live reload: this class loader is the same for all builds of one dev mode
    private static LocalRedisServer devModeServer;
    private static String devModeServerKey;

    @BuildStep(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
    void localRedis(LaunchModeBuildItem launchMode, DockerStatusBuildItem docker,
            CuratedApplicationShutdownBuildItem shutdown, BuildProducer<DevServicesResultBuildItem> results,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults,
            BuildProducer<DevServiceDescriptionBuildItem> descriptions) {
        Config config = ConfigProvider.getConfig();
        Function<String, Optional<String>> raw = name -> config.getOptionalValue(name, String.class)
                .filter(v -> !v.isEmpty());
        Optional<LocalRedisPlan> needed = LocalRedisPlan.of(raw);
        boolean devMode = launchMode.getLaunchMode() == LaunchMode.DEVELOPMENT;
        if (needed.flatMap(LocalRedisPlan::binary).isEmpty() && devMode) {
            stopDevModeServer(); // a reload that configured hosts (or disabled Dev Services) needs it no more
        }
        if (needed.isEmpty()) {
            return;
        }
        LocalRedisPlan plan = needed.get();
        if (plan.binary().isPresent()) {
            Path binary = plan.binary().get();
            // a String, so a server started for an earlier build (another class loader) is reused when equal
            String serviceConfig = plan.clientName() + "|" + binary;
            String description = "redis-server for the Redis session store (" + binary + ")";
            if (devMode) {
                String address = devModeServer(serviceConfig, binary, shutdown).getConnectionInfo();
                defaults.produce(new RunTimeConfigurationDefaultBuildItem(plan.hostsProperty(), address));
                descriptions.produce(new DevServiceDescriptionBuildItem(FEATURE, description,
                        Map.of(plan.hostsProperty(), address)));
                return;
            }
            results.produce(DevServicesResultBuildItem.owned().feature(FEATURE)
                    .serviceName(plan.clientName())
                    .serviceConfig(serviceConfig)
                    .description(description)
                    .startable(() -> new LocalRedisServer(binary))
                    .configProvider(Map.of(plan.hostsProperty(), LocalRedisServer::getConnectionInfo))
                    .build());
            return;
        }
        if (plan.configuredBinary() != null) {
            throw new IllegalStateException(LocalRedisPlan.BINARY_PROPERTY + "=" + plan.configuredBinary()
                    + " is not an executable file: point it at a redis-server binary, or remove it to use the one"
                    + " on the PATH");
        }
        boolean containers = raw.apply(plan.quarkusDevServicesProperty()).map(Boolean::parseBoolean).orElse(true);
        if (containers && docker.isContainerRuntimeAvailable()) {
            LOG.infof("Dev Services for Redis sessions: no redis-server on the PATH; the Quarkus Redis client's "
                    + "container Dev Services provide %s", plan.hostsProperty());
            return;
        }
        throw new IllegalStateException("The Redis session store has no Redis: " + plan.hostsProperty()
                + " is not set, no redis-server is on the PATH" + (containers ? " and no container runtime (Docker,"
                        + " Podman) is available for Dev Services"
                        : " and " + plan.quarkusDevServicesProperty()
                                + "=false")
                + ". Either install redis-server (e.g. apt-get install redis-server, brew install redis; or set "
                + LocalRedisPlan.BINARY_PROPERTY + " to its path), or set " + plan.hostsProperty()
                + " (e.g. redis://localhost:6379) to a Redis you run.");
    }

    /**
     * Dev mode starts the server here rather than through a {@link DevServicesResultBuildItem}: to describe each
     * such item, dev mode asks for a container runtime, and on a machine without Docker that probe logs
     * Testcontainers' "Could not find a valid Docker environment" ERROR for a service that is no container. Test
     * mode never asks, and keeps the item (its config reaches every kind of test launch).
     */
    private static synchronized LocalRedisServer devModeServer(String key, Path binary,
            CuratedApplicationShutdownBuildItem shutdown) {
        if (key.equals(devModeServerKey)) {
            return devModeServer;
        }
        stopDevModeServer();
        LocalRedisServer server = new LocalRedisServer(binary);
        server.start(); // a failed start has removed its directory and fails the build with the server's log
        devModeServer = server;
        devModeServerKey = key;
        shutdown.addCloseTask(RedisSessionDevServicesProcessor::stopDevModeServer, true);
        return server;
    }

    private static synchronized void stopDevModeServer() {
        if (devModeServer != null) {
            devModeServer.close();
            devModeServer = null;
            devModeServerKey = null;
        }
    }
}
