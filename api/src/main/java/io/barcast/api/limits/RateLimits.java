package io.barcast.api.limits;

import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKey;
import io.barcast.api.auth.KeyCheck;
import io.barcast.api.auth.Tier;
import io.barcast.api.http.ApiMetrics;
import io.barcast.api.http.ApiProblem;
import io.barcast.core.DaemonThreads;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs after {@link KeyCheck} on every matched route: takes the call's {@link RequestCosts cost}
 * from the caller's token bucket, which holds {@link ApiSettings#requestsPerMinute()} tokens of its
 * tier and refills at that rate. Buckets live in PostgreSQL ({@code rate_limit_buckets}, one row
 * per key id, never the key), so every API instance draws on the same ones. Public routes carry no
 * caller and are not limited. Each limited response says {@code RateLimit-Limit}, {@code
 * -Remaining}, {@code -Reset} and {@code -Policy}; a refused call is a 429 with {@code
 * Retry-After}.
 */
public final class RateLimits implements AutoCloseable {

    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    public static final String POLICY = "RateLimit-Policy";

    static final String TABLE = "rate_limit_buckets";
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /**
     * How long a bucket's row stays after the bucket is full again. A deleted bucket comes back
     * full, exactly as it would have been, so this only has to cover clock differences between
     * instances (the bucket's times are each instance's clock).
     */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

    private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);
    private static final int CLEAN_BATCH = 1_000;

    /** Longest a limit check's statements may run: a read should not wait longer on its limit. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration LOG_FAILURES_EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Map<Tier, Integer> perMinute = new EnumMap<>(Tier.class);
    private final Map<Tier, BucketConfiguration> configurations = new EnumMap<>(Tier.class);
    private final ApiMetrics metrics;
    private final Counter failures;
    private final AtomicLong lastFailureLogged = new AtomicLong(Long.MIN_VALUE);

    /**
     * One instance runs at most one check per stripe at a time. A key that floods an instance then
     * waits here, holding no connection, instead of parking every pooled connection on its row's
     * lock while other keys' reads wait for a connection.
     */
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    private ScheduledExecutorService cleaner;

    /**
     * @param requestsPerMinute the limit of each tier; a tier it leaves out gets its {@link
     *     ApiSettings#DEFAULT_LIMITS default}
     */
    public RateLimits(DataSource db, Map<Tier, Integer> requestsPerMinute, ApiMetrics metrics) {
        this.metrics = metrics;
        for (Tier tier : Tier.values()) {
            if (tier == Tier.PUBLIC) {
                continue;
            }
            Integer limit =
                    requestsPerMinute.getOrDefault(tier, ApiSettings.DEFAULT_LIMITS.get(tier));
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException(
                        "the rate limit of tier "
                                + tier.label()
                                + " is "
                                + limit
                                + "; it must be at least 1 request a minute");
            }
            perMinute.put(tier, limit);
            configurations.put(
                    tier,
                    BucketConfiguration.builder()
                            .addLimit(
                                    bandwidth ->
                                            bandwidth.capacity(limit).refillGreedy(limit, WINDOW))
                            .build());
        }
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        // SELECT ... FOR UPDATE rather than the advisory-lock variant, for how it behaves under
        // concurrency: the lock is the bucket's own row, so it cannot collide with other holders of
        // the database's single advisory-lock space (Flyway, or another key hashing to the same
        // lock id); concurrent first calls of a key settle their race in INSERT ... ON CONFLICT DO
        // NOTHING and retry; the cleaner deletes with SKIP LOCKED, so it never waits for a check
        // nor makes one wait (the advisory variant's cleaner needs an extra lock-id column); and a
        // check is one round trip fewer: SELECT FOR UPDATE, UPDATE, COMMIT.
        this.buckets =
                Bucket4jPostgreSQL.selectForUpdateBasedBuilder(db)
                        .primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table(TABLE)
                        .idColumn("key_id")
                        .stateColumn("state")
                        .expiresAtColumn("expires_at")
                        .expirationAfterWrite(
                                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                        KEEP_AFTER_REFILL))
                        .requestTimeout(CHECK_TIMEOUT)
                        .build();
        this.failures =
                Counter.builder()
                        .name("barcast_api_rate_limit_failures_total")
                        .help(
                                "Limit checks that failed in the database; those requests were let"
                                        + " through unlimited")
                        .register(metrics.registry());
    }

    /** The before-handler: limits the caller of a matched, non-public route. */
    public void check(Context ctx) {
        ApiKey caller = KeyCheck.caller(ctx);
        if (caller == null) {
            return;
        }
        Endpoint route = ctx.endpoints().matchedHttpEndpoint();
        int cost = route == null ? RequestCosts.DEFAULT : RequestCosts.of(route.method, route.path);
        int limit = perMinute.get(caller.tier());
        ConsumptionProbe probe;
        try {
            probe = take(caller, cost);
        } catch (BucketExceptions.BucketExecutionException e) {
            // Fail open. The buckets live in the database every call needs anyway: when it is
            // down, the key check before this (even for predict, which reads no table) and the read
            // after it fail on their own, so refusing here protects nothing and only turns a
            // trouble of the limit table alone (a lock timeout, a bad migration) into an API that
            // answers nothing. What gets through is still bounded by the key check (issued,
            // unrevoked keys only) and by the connection pool. Failures are counted and logged, so
            // limits that are not enforced are seen, not silent.
            failures.inc();
            logFailure(caller, e);
            return;
        }
        ctx.header(LIMIT, Integer.toString(limit));
        ctx.header(REMAINING, Long.toString(probe.getRemainingTokens()));
        // RateLimit-Reset as the httpapi ratelimit-headers draft (-06) defines it: seconds until
        // the quota is whole again, i.e. until the bucket is full, not until the next token. The
        // wait for the tokens this call lacked is Retry-After, on a refusal.
        ctx.header(RESET, Long.toString(seconds(probe.getNanosToWaitForReset())));
        ctx.header(POLICY, limit + ";w=" + WINDOW.toSeconds());
        if (!probe.isConsumed()) {
            metrics.rateLimited(caller.tier().label());
            throw refusal(caller, cost, limit, probe);
        }
    }

    private ConsumptionProbe take(ApiKey caller, int cost) {
        int limit = perMinute.get(caller.tier());
        ReentrantLock stripe = stripes[Math.floorMod(caller.id().hashCode(), stripes.length)];
        stripe.lock();
        try {
            return buckets.builder()
                    // the limit is the configuration's version: a bucket stored under a smaller
                    // limit (the tier or the setting was raised) takes the new one at its next
                    // call, keeping the tokens it had plus the difference. A lowered limit takes
                    // effect once the old bucket has expired, so instances that disagree during a
                    // rolling change do not replace each other's buckets back and forth.
                    .withImplicitConfigurationReplacement(limit, TokensInheritanceStrategy.ADDITIVE)
                    .build(caller.id(), configurations.get(caller.tier()))
                    .tryConsumeAndReturnRemaining(cost);
        } finally {
            stripe.unlock();
        }
    }

    private static ApiProblem refusal(ApiKey caller, int cost, int limit, ConsumptionProbe probe) {
        if (cost > limit) {
            return ApiProblem.tooManyRequests(
                    "this call costs "
                            + cost
                            + " requests, more than the "
                            + limit
                            + " a minute of the key "
                            + caller.id(),
                    WINDOW.toSeconds());
        }
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return ApiProblem.tooManyRequests(
                "the key "
                        + caller.id()
                        + " may make "
                        + limit
                        + " requests a minute and has "
                        + probe.getRemainingTokens()
                        + " left; this call costs "
                        + cost
                        + "; retry in "
                        + retryAfter
                        + " s",
                retryAfter);
    }

    private void logFailure(ApiKey caller, RuntimeException e) {
        long now = System.nanoTime();
        long last = lastFailureLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_FAILURES_EVERY.toNanos())
                && lastFailureLogged.compareAndSet(last, now)) {
            LOG.warn(
                    "The rate limit of key {} could not be checked; letting its requests through"
                            + " (this is logged at most once a minute, every failure is counted in"
                            + " barcast_api_rate_limit_failures_total)",
                    caller.id(),
                    e);
        }
    }

    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * Deletes the buckets that have been full for longer than they are kept; returns how many. Safe
     * to run on every instance at once: each skips the rows another is deleting or a check holds.
     */
    public int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(CLEAN_BATCH);
            removed += batch;
        } while (batch == CLEAN_BATCH);
        return removed;
    }

    /** Runs {@link #removeExpired()} once a minute until {@link #close()}. */
    public synchronized void startCleaning() {
        if (cleaner != null) {
            return;
        }
        cleaner =
                DaemonThreads.every(CLEAN_EVERY, "barcast-rate-limit-cleaner", this::cleanQuietly);
    }

    private void cleanQuietly() {
        try {
            removeExpired();
        } catch (RuntimeException e) {
            // the next round tries again; a database that is down is reported by /ready
            LOG.warn("Removing expired rate-limit buckets failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (cleaner != null) {
            cleaner.shutdownNow();
            cleaner = null;
        }
    }
}
