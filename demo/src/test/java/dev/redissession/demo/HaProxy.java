package dev.redissession.demo;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.redissession.testing.FreePorts;
import dev.redissession.testing.contract.AppReplicas;
import dev.redissession.testing.contract.AppReplicas.App;

/**
 * A HAProxy process in front of demo replicas: HTTP mode, round robin per request, no stickiness and no health
 * checks (so the order is exactly A, B, A, B...). Config and log in {@code target/<label>-haproxy.*}.
 */
final class HaProxy implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(15);

    private final Process process;
    private final int port;
    private final Path log;

    private HaProxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it on a free loopback port and waits until a request through it reaches a replica. */
    static HaProxy start(String label, List<App> backends) throws Exception {
        Path haproxy = Binaries.require("haproxy");
        int port = FreePorts.next();
        StringBuilder config = new StringBuilder("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend web
                    bind 127.0.0.1:%d
                    default_backend demo
                backend demo
                    balance roundrobin
                """.formatted(port));
        for (App app : backends) {
            config.append("    server ").append(app.name()).append(" 127.0.0.1:").append(app.port()).append('\n');
        }
        Path cfg = Path.of("target", label + "-haproxy.cfg").toAbsolutePath();
        Path log = cfg.resolveSibling(label + "-haproxy.log");
        Files.writeString(cfg, config, StandardCharsets.UTF_8);
        // -db: stay in the foreground, so the process is HAProxy itself and stopping it stops the proxy.
        Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-haproxy"));
        HaProxy proxy = new HaProxy(process, port, log);
        try {
            AppReplicas.awaitPing("haproxy", process, proxy.uri("/demo/ping"), STARTUP, proxy::logText);
        } catch (Throwable e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
