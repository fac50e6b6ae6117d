package dev.redissession.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends commands to one Redis port through {@code redis-cli} subprocesses and reads the replies as plain text
 * (the rig has no Redis client library, so it cannot interfere with the client under test).
 */
final class RedisCli {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CMDSTAT = Pattern.compile("^cmdstat_(\\S+?):calls=(\\d+)", Pattern.MULTILINE);

    private final int port;
    /** {@code --tls ...} for a server that listens on TLS only, else empty. */
    private final List<String> tls;

    RedisCli(int port) {
        this(port, List.of());
    }

    /**
     * @param serverArgs the server's launch arguments: with {@code --tls-cert-file} it listens on TLS only (see
     *        {@link RedisServer#startTls}), and the cli connects with TLS, presenting the server's own certificate
     *        (signed by the same CA) in case the server asks clients for one
     */
    RedisCli(int port, List<String> serverArgs) {
        this.port = port;
        this.tls = isTls(serverArgs) ? List.of("--tls", "--cacert", argAfter(serverArgs, "--tls-ca-cert-file"),
                "--cert", argAfter(serverArgs, "--tls-cert-file"), "--key", argAfter(serverArgs, "--tls-key-file"))
                : List.of();
    }

    /** Whether a server launched with these arguments listens on TLS only. */
    static boolean isTls(List<String> serverArgs) {
        return serverArgs.contains("--tls-cert-file");
    }

    private static String argAfter(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            throw new IllegalArgumentException("a TLS server needs " + name + " <file>; its arguments: " + args);
        }
        return args.get(at + 1);
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p PORT --raw -e ARGS...}; see {@link RedisServer#cli(String...)} for the
     * output format. Throws {@link RedisCliException} on an error reply, no connection, or no answer in time.
     */
    String call(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-cli"), "-h", FreePorts.HOST, "-p",
                String.valueOf(port), "--raw", "-e"));
        cmd.addAll(tls);
        cmd.addAll(Arrays.asList(args));
        return Exec.check(timeout, cmd);
    }

    /** The reply to PING ("PONG" once the server is up), or what went wrong (e.g. connection refused). */
    String ping(Duration timeout) {
        try {
            return call(timeout, "PING");
        } catch (RedisCliException e) {
            return e.getMessage();
        }
    }

    /** OS pid of the server, from {@code INFO server}. */
    long pid() {
        String info = call(TIMEOUT, "INFO", "server");
        String pid = infoField(info, "process_id");
        if (pid == null) {
            throw new IllegalStateException("INFO server on port " + port + " names no process_id: " + info);
        }
        return Long.parseLong(pid);
    }

    /**
     * {@code redis-cli --cluster create} over these nodes ({@code replicasPerMaster} replicas per master, the
     * masters first), answering yes to its question.
     */
    static void createCluster(List<Integer> ports, int replicasPerMaster, Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of(Exec.binary("redis-cli"), "--cluster", "create"));
        ports.forEach(p -> cmd.add(FreePorts.HOST + ":" + p));
        cmd.addAll(List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
        Exec.check(timeout, cmd);
    }

    /** The value of {@code name:value} in an INFO reply, or null if the reply has no such line. */
    static String infoField(String info, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + ":(\\S+)", Pattern.MULTILINE).matcher(info);
        return m.find() ? m.group(1) : null;
    }

    /** Calls per command from an {@code INFO commandstats} reply, keyed by lower-case name. */
    static Map<String, Long> commandStats(String info) {
        Map<String, Long> stats = new TreeMap<>();
        Matcher m = CMDSTAT.matcher(info);
        while (m.find()) {
            stats.put(m.group(1).toLowerCase(), Long.parseLong(m.group(2)));
        }
        return stats;
    }
}
