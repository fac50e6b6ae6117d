/**
 * What applications use of the Redis session store, and only that: the {@link dev.redissession.TenantResolver} to
 * plug in their own tenant rule, {@link dev.redissession.TenantIds} (the rule every tenant id obeys),
 * {@link dev.redissession.SessionAttributeType} to register attribute classes, the {@link dev.redissession.TenantPurge}
 * bean with its {@link dev.redissession.PurgeJob} and {@link dev.redissession.PurgeState},
 * {@link dev.redissession.PassiveSession} for endpoints that read their session without extending it, and the exceptions a
 * request or a purge can end with. Everything under {@code dev.redissession.runtime} is the implementation.
 */
package dev.redissession;
