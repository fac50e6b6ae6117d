package dev.redissession.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority made at test time with {@code openssl}, and PEM files signed by it: a server certificate
 * for {@code localhost} only (so {@code 127.0.0.1} is a wrong host name) and a client certificate for mTLS; plus a
 * second CA that signed nothing here, to trust the wrong CA. Made once per JVM under a name, so both class loaders of a
 * Quarkus test see the same files.
 */
public final class TlsFiles {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static final Object LOCK = new Object();

    private final Path dir;

    private TlsFiles(Path dir) {
        this.dir = dir;
    }

    /** The files made under {@code name} in this JVM, made now if there are none yet. */
    public static TlsFiles generate(String name) {
        synchronized (LOCK) {
            String property = "dev.redissession.testing.tls." + name;
            String known = System.getProperty(property);
            if (known != null && Files.isRegularFile(Path.of(known, "client.key"))) {
                return new TlsFiles(Path.of(known));
            }
            try {
                Path dir = Files.createTempDirectory("redis-test-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteFlat(dir), "redis-test-tls-cleanup"));
                TlsFiles files = new TlsFiles(dir);
                files.makeCa("ca", "redis-session test CA");
                files.makeCa("other-ca", "another test CA");
                files.makeSigned("server", "localhost", "subjectAltName=DNS:localhost\n");
                files.makeSigned("client", "session-app", "extendedKeyUsage=clientAuth\n");
                System.setProperty(property, dir.toString());
                return files;
            } catch (IOException e) {
                throw new UncheckedIOException("could not make TLS files", e);
            }
        }
    }

    /** The CA's certificate: what a client trusts. */
    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A CA that signed none of these certificates. */
    public Path otherCaCert() {
        return dir.resolve("other-ca.crt");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The client's certificate (mTLS), signed by the CA. */
    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /**
     * The {@code redis-server} arguments for a TLS-only server with these files ({@link RedisServer#startTls}); with
     * {@code requireClientCert}, {@code --tls-auth-clients yes}.
     */
    public List<String> serverArgs(boolean requireClientCert) {
        return List.of("--tls-cert-file", serverCert().toString(), "--tls-key-file", serverKey().toString(),
                "--tls-ca-cert-file", caCert().toString(), "--tls-auth-clients", requireClientCert ? "yes" : "no");
    }

    private void makeCa(String name, String commonName) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString());
    }

    private void makeSigned(String name, String commonName, String extensions) throws IOException {
        Path request = dir.resolve(name + ".csr");
        Path extensionFile = Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", request.toString());
        openssl("x509", "-req", "-in", request.toString(), "-CA", caCert().toString(), "-CAkey",
                dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2", "-extfile",
                extensionFile.toString(), "-out", dir.resolve(name + ".crt").toString());
    }

    /** Deletes the dir and the files in it (it has no subdirectories). */
    private static void deleteFlat(Path dir) {
        java.io.File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (java.io.File file : files) {
                file.delete();
            }
        }
        dir.toFile().delete();
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of(Exec.binary("openssl")));
        command.addAll(List.of(args));
        Exec.check(OPENSSL_TIMEOUT, command);
    }
}
