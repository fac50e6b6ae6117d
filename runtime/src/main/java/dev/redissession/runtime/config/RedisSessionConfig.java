package dev.redissession.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Run-time configuration of the Redis session store. One file for one prefix, as Quarkus documents it: over 350
 * lines only because every property carries its Javadoc (the generated reference).
 */
@ConfigMapping(prefix = "quarkus.redis-session")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface RedisSessionConfig {

    /**
     * Prefix of every session key; a key reads {@code <prefix><tenant>:<session id>}.
     */
    @WithDefault("session:")
    String keyPrefix();

    /**
     * Default idle timeout of a session (the servlet max-inactive-interval). Every access slides it. A
     * {@code web.xml} {@code <session-config><session-timeout>} takes precedence (a warning at startup says so when
     * both are set and differ); {@code HttpSession.setMaxInactiveInterval} takes precedence over both.
     */
    @WithDefault("30M")
    Duration idleTimeout();

    /**
     * Absolute lifetime of a session, counted from its {@code created_at}; no access extends it.
     */
    @WithDefault("8H")
    Duration maxLifetime();

    /**
     * When a request writes attribute values: {@code on-set-or-changed} also writes values the request read or set
     * that can change in place (collections, maps, registered classes that are not records of immutable values) when
     * their JSON differs at the end of the request from what was read or set; {@code on-set} writes only what
     * {@code setAttribute} and {@code removeAttribute} changed, so an object changed in place without a second
     * {@code setAttribute} is not saved.
     */
    @WithDefault("on-set-or-changed")
    SaveMode saveMode();

    /**
     * Values of {@code save-mode}.
     */
    enum SaveMode {
        /** Only {@code setAttribute} and {@code removeAttribute} change the stored session. */
        ON_SET,
        /** Also values changed in place, found by comparing their JSON at the end of the request. */
        ON_SET_OR_CHANGED
    }

    /**
     * How stale the stored {@code last_accessed_at} may become: a request that changes nothing writes the session
     * (one compare-and-set more) only when the stored time is older than this, so a session costs at most one such
     * write per interval. {@code 0} writes it on every request.
     */
    @WithDefault("60S")
    Duration touchInterval();

    /**
     * Paths of passive requests, which read their session without extending it: a plain {@code GET} instead of the
     * TTL-sliding {@code GETEX}, no {@code last_accessed_at} refresh, no write; for polling endpoints. Each an exact
     * path or a prefix ending in {@code /*} (which matches the prefix itself and everything below it), compared with
     * the request path including {@code quarkus.http.root-path}. Endpoints can be marked with
     * {@code @dev.redissession.PassiveSession} instead.
     */
    Optional<List<String>> passivePaths();

    /**
     * How often each replica sweeps the expiry index for sessions whose TTL ran out in Redis and announces them
     * ({@code SessionEnded} with reason {@code expired}, servlet {@code sessionDestroyed}): an expiry is delivered at
     * most about this long after the TTL ran out, by exactly one replica. {@code 0} switches the sweep off on this
     * replica.
     */
    @WithDefault("5S")
    Duration expirySweepInterval();

    /**
     * How long a request waits for one Redis command before it fails with 503.
     */
    @WithDefault("5S")
    Duration timeout();

    /**
     * How many replicas must acknowledge each session write (create, change, rotation, invalidation) before the request
     * succeeds: the store sends {@code WAIT <replica-acks> <replica-ack-timeout>} right behind the write on the same
     * connection (on Redis Cluster, to the master of the session's slot). Redis replicates asynchronously, so without
     * it a write acknowledged by a master that fails before its replicas received it is lost on failover. When fewer
     * replicas acknowledge in time the request gets 503 {@code replica_ack_timeout}; the write stays on the master.
     * 0 (the default) sends no {@code WAIT}.
     */
    @WithDefault("0")
    int replicaAcks();

    /**
     * How long a session write waits for the replicas of {@code quarkus.redis-session.replica-acks}; less than
     * {@code quarkus.redis-session.timeout}, which bounds the write and its {@code WAIT} together.
     */
    @WithDefault("500MS")
    Duration replicaAckTimeout();

    /**
     * How many times a write retries when another request changed the same session in between; then the request is
     * answered 409 {@code attribute_conflict}.
     */
    @WithDefault("32")
    int maxWriteRetries();

    /**
     * What a plain set (or a value changed in place) of an attribute that another request changed since this one read
     * it does: {@code last-writer-wins} (this request's value replaces the other's) or {@code reject} (nothing of this
     * request is written; 409 {@code attribute_conflict} naming the attribute). Changes of different attributes are
     * merged either way; atomic updates ({@code RedisSession.update}) are computed again and never conflict.
     */
    @WithDefault("last-writer-wins")
    SameAttributeConflict sameAttributeConflict();

    /** Values of {@code same-attribute-conflict}. */
    enum SameAttributeConflict {
        /** The later writer's value of the attribute stands. */
        LAST_WRITER_WINS,
        /** The request is refused with 409 and writes nothing. */
        REJECT
    }

    /**
     * How many long-lived, pipelined connections the session store keeps to Redis (per cluster node on Redis
     * Cluster), opened through the session's Quarkus Redis client. Every request shares them, so the client's pool
     * size does not limit how many requests may use their session at once. Each holds one of the client's pooled
     * connections for good, so it must be less than {@code quarkus.redis.max-pool-size} (default 6).
     */
    @WithDefault("2")
    int connections();

    /**
     * The largest a session may be as stored JSON. A change that would exceed it writes nothing: {@code setAttribute}
     * throws {@code IllegalArgumentException} when one value alone is larger, otherwise the request is answered 413.
     * A stored value over it (from another writer) is never parsed: the request has no session.
     */
    @WithDefault("256K")
    MemorySize maxSize();

    /**
     * The most attributes a session may hold; a change that would exceed it writes nothing and is answered 413.
     */
    @WithDefault("256")
    int maxAttributes();

    /**
     * The limits of anonymous sessions (without {@code user_id}), which any client can create: they apply until a
     * request sets {@code user_id}, and that request itself may already grow the session to the normal limits.
     */
    Anonymous anonymous();

    /**
     * The limits of sessions without {@code user_id}.
     */
    interface Anonymous {
        /**
         * The largest an anonymous session may be as stored JSON ({@code max-size} when that is smaller): a change
         * that would exceed it writes nothing and is answered 413, unless the same request sets {@code user_id}.
         */
        @WithDefault("16K")
        MemorySize maxSize();

        /**
         * The idle timeout an anonymous session gets from each write (its creation, a change, a touch) instead of
         * the default one, when smaller ({@code setMaxInactiveInterval} still wins); it gets the normal one once
         * {@code user_id} is set. A read slides the expiry by the default idle timeout, as for every session (one
         * {@code GETEX}, no second command).
         */
        @WithDefault("10M")
        Duration idleTimeout();

        /**
         * How many anonymous sessions one client address may create per minute on this replica; more are answered
         * 429 {@code too_many_sessions} with {@code Retry-After} and write nothing. The address is the connection's
         * peer, or the forwarded client address when {@code quarkus.http.proxy.proxy-address-forwarding} is enabled.
         * Absent (the default): no limit.
         */
        Optional<Integer> creationsPerMinute();
    }

    /**
     * How the session id travels between client and server, never in a URL: {@code cookie} (the session cookie),
     * {@code header} (the {@code header-name} request and response header, for API clients that keep no cookies; a
     * cookie carrying an id is ignored and none is sent) or {@code cookie-or-header} (both accepted; the answer uses
     * the one the request came with, both for a request that came with neither).
     */
    @WithDefault("cookie")
    Transport transport();

    /** Values of {@code transport}. */
    enum Transport {
        /** The session cookie only. */
        COOKIE,
        /** The {@code header-name} header only. */
        HEADER,
        /** Either; the answer uses the one the request came with. */
        COOKIE_OR_HEADER
    }

    /**
     * The request and response header that carries the session id with {@code transport=header} or
     * {@code cookie-or-header}. A response to a request whose session ended carries it empty.
     */
    @WithDefault("X-Session-Id")
    String headerName();

    /**
     * The session cookie (with {@code transport=cookie} or {@code cookie-or-header}).
     */
    Cookie cookie();

    /**
     * The session cookie.
     */
    interface Cookie {
        /**
         * The cookie name; absent: the deployment's ({@code web.xml} {@code <cookie-config><name>}), else
         * {@code JSESSIONID}.
         */
        Optional<String> name();

        /**
         * The cookie path; absent: the deployment's ({@code web.xml}), else {@code /}.
         */
        Optional<String> path();

        /**
         * The cookie domain; absent: the deployment's ({@code web.xml}), else none (the request's host only).
         */
        Optional<String> domain();

        /**
         * Whether scripts in the page are denied the cookie ({@code HttpOnly}). {@code web.xml}
         * {@code <http-only>true</http-only>} turns it on too.
         */
        @WithDefault("true")
        boolean httpOnly();

        /**
         * The {@code SameSite} attribute: {@code lax}, {@code strict} or {@code none} (browsers accept {@code none}
         * only together with {@code Secure}).
         */
        @WithDefault("lax")
        SameSite sameSite();

        /**
         * When the cookie is marked {@code Secure}: {@code auto} when the request is HTTPS as Quarkus sees it
         * (including behind a proxy with {@code quarkus.http.proxy.*} forwarding), {@code always}, or {@code never}.
         * {@code web.xml} {@code <secure>true</secure>} makes {@code auto} act as {@code always}.
         */
        @WithDefault("auto")
        Secure secure();

        /** Values of {@code same-site}. */
        enum SameSite {
            LAX("Lax"),
            STRICT("Strict"),
            NONE("None");

            private final String attribute;

            SameSite(String attribute) {
                this.attribute = attribute;
            }

            /** As the cookie attribute writes it. */
            public String attribute() {
                return attribute;
            }
        }

        /** Values of {@code secure}. */
        enum Secure {
            AUTO,
            ALWAYS,
            NEVER
        }
    }

    /**
     * How the tenant of a request is found.
     */
    Tenant tenant();

    /**
     * Tenant resolution.
     */
    interface Tenant {
        /**
         * Built-in strategy: {@code fixed} (always {@code default}), {@code header} (the request header
         * {@code header}, or {@code default} when absent) or {@code host} (first label of the Host name, or
         * {@code default} for an IP address). Ignored when the application provides its own
         * {@code TenantResolver} bean.
         */
        @WithDefault("fixed")
        Strategy strategy();

        /**
         * The tenant used by the {@code fixed} strategy, and by the others when the request does not name one.
         */
        @WithName("default")
        @WithDefault("default")
        String defaultTenant();

        /**
         * The request header that names the tenant, for the {@code header} strategy.
         */
        @WithDefault("X-Tenant-Id")
        String header();

        /**
         * For the {@code host} strategy: the parent domains tenants live under (e.g. {@code example.com}). A Host
         * must then be {@code <tenant>.<one of them>}; any other Host is answered 400. Absent: the first label of
         * any Host names the tenant.
         */
        Optional<List<String>> hostSuffixes();
    }

    /**
     * The built-in tenant resolution strategies.
     */
    enum Strategy {
        /** Every request belongs to the default tenant. */
        FIXED,
        /** The tenant is named by a request header. */
        HEADER,
        /** The tenant is the first label of the Host name. */
        HOST
    }

    /**
     * Tenant purge jobs ({@code TenantPurge} and the admin API).
     */
    Purge purge();

    /**
     * The readiness check of the session store (with {@code quarkus-smallrye-health}).
     */
    Health health();

    /**
     * The session store's meters (with {@code quarkus-micrometer}).
     */
    Metrics metrics();

    /**
     * The readiness check of the session store.
     */
    interface Health {
        /**
         * How long the health check waits for the masters to answer its probe: a master silent by then is reported
         * failing, and the session store DOWN when no master answered. Keep it below the readiness probe's own timeout
         * (Kubernetes {@code timeoutSeconds}).
         */
        @WithDefault("2S")
        Duration timeout();
    }

    /**
     * The session store's meters.
     */
    interface Metrics {
        /**
         * Whether the session meters carry a {@code tenant} tag. Off by default: every tenant makes one more time
         * series per meter, and tenants can be many.
         */
        @WithDefault("false")
        boolean tenantTag();
    }

    /**
     * Tenant purge jobs.
     */
    interface Purge {
        /**
         * The {@code COUNT} hint of each {@code SCAN} page: roughly how many keys one page makes Redis look at.
         * Larger pages mean fewer round trips but a longer single command for everyone else (a page's UNLINKs and the
         * next page's SCAN go in one round trip). At the default a purge took 0.8-1.1x the time of a bare SCAN
         * COUNT 1000 and UNLINK loop, with other tenants' read p99 at 0.7-1.33x theirs during that loop; 1000 was
         * faster but up to doubled that p99 (bench/README.md).
         */
        @WithDefault("500")
        int scanCount();

        /**
         * Largest number of keys removed by one {@code UNLINK}.
         */
        @WithDefault("500")
        int deleteBatch();

        /**
         * Upper bound on deleted keys per second across the whole job; absent means as fast as Redis answers.
         */
        Optional<Integer> rateLimit();

        /**
         * How long the tenant's purge lock lives without renewal; the running job renews it every third of this.
         * A replica that dies mid-purge blocks new purges of the tenant for at most this long.
         */
        @WithDefault("30S")
        Duration lockLease();

        /**
         * How long a job's state (for {@code GET /admin/sessions/purges/{id}}) is kept in Redis after its last update.
         */
        @WithDefault("24H")
        Duration jobRetention();

        /**
         * Most Redis commands (or pipelines) all purge jobs of this replica have in flight at once; the others wait
         * in the purge's own queue, so parallel purges never exhaust the Redis client's connection pool and its wait
         * queue. Keep it below the session client's {@code quarkus.redis.max-pool-size} (default 6), which the
         * application and the health check share.
         */
        @WithDefault("4")
        int maxConcurrentCommands();
    }
}
