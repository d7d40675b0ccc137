package io.barcast.api.webhook;

import io.barcast.api.ApiService;
import io.barcast.core.DaemonThreads;
import io.barcast.core.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries: one thread claims up to as many as there are free senders ({@code
 * api.webhooks.senders}) from the table, each sender makes one signed attempt and records its
 * outcome. A 2xx is delivered; timeouts, connection errors, 408, 429 and 5xx are tried again later
 * ({@link RetrySchedule}) up to {@code max-attempts}; 410 disables the webhook; any other answer
 * gives the delivery up (redirects are not followed). A webhook failing for {@code disable-after}
 * is disabled with an alert. Also keeps the backlog metric and deletes deliveries past their
 * retention.
 *
 * <p>Deliveries of one endpoint are not ordered: they go out in parallel and a retried one arrives
 * after later events. Every payload carries its own times and ids (a recommendation's later state
 * repeats its id), which is what a receiver orders by.
 */
public final class WebhookSender implements ApiService {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    static final int MAX_RESPONSE_BYTES = 1_024;
    private static final int MAX_ERROR_CHARS = 300;
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final Duration MAINTENANCE_EVERY = Duration.ofSeconds(5);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final WebhookSettings settings;
    private final DeliveryStore deliveries;
    private final WebhookGuard guard;
    private final WebhookMetrics metrics;
    private final RetrySchedule retries;
    private final Semaphore free;
    private final Object signal = new Object();
    private final HttpClient http;
    private final int instance = INSTANCES.incrementAndGet();

    private volatile boolean running;
    private boolean woken;
    private Thread claimer;
    private ExecutorService senders;
    private ScheduledExecutorService maintenance;

    public WebhookSender(
            WebhookSettings settings, DataSource db, WebhookGuard guard, WebhookMetrics metrics) {
        this.settings = settings;
        this.deliveries = new DeliveryStore(db);
        this.guard = guard;
        this.metrics = metrics;
        this.retries = new RetrySchedule(settings.retryBackoff());
        this.free = new Semaphore(settings.senders());
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(settings.timeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
    }

    @Override
    public void start() {
        running = true;
        senders =
                Executors.newFixedThreadPool(
                        settings.senders(),
                        DaemonThreads.numbered("barcast-webhook-sender-" + instance));
        maintenance =
                Executors.newSingleThreadScheduledExecutor(
                        DaemonThreads.numbered("barcast-webhook-maintenance-" + instance));
        maintenance.scheduleWithFixedDelay(
                this::maintain, 0, MAINTENANCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        claimer = DaemonThreads.start("barcast-webhook-claimer-" + instance, this::claimLoop);
    }

    /** Looks for due deliveries now rather than at the next poll (new ones were added). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void claimLoop() {
        while (running) {
            try {
                int slots = free.availablePermits();
                if (slots == 0) {
                    // every sender is busy: wait for one, then look again
                    free.acquire();
                    free.release();
                    continue;
                }
                List<DeliveryStore.Claimed> claimed = deliveries.claim(slots, settings.lease());
                for (DeliveryStore.Claimed delivery : claimed) {
                    free.acquire();
                    senders.execute(
                            () -> {
                                try {
                                    attempt(delivery);
                                } finally {
                                    free.release();
                                }
                            });
                }
                if (claimed.isEmpty()) {
                    Duration due = deliveries.nextDueIn();
                    pause(due == null || due.compareTo(IDLE_WAIT) > 0 ? IDLE_WAIT : due);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn(
                            "cannot claim webhook deliveries; trying again shortly: {}",
                            e.toString());
                    try {
                        pause(Duration.ofSeconds(1));
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
    }

    private void pause(Duration wait) throws InterruptedException {
        long millis = Math.max(5, wait.toMillis());
        synchronized (signal) {
            if (!woken) {
                signal.wait(millis);
            }
            woken = false;
        }
    }

    /** One attempt of a claimed delivery, its outcome recorded. */
    void attempt(DeliveryStore.Claimed delivery) {
        Instant now = Instant.now();
        long started = System.nanoTime();
        Outcome outcome;
        try {
            URI uri = guard.check(delivery.url());
            outcome = send(uri, delivery, now.getEpochSecond());
        } catch (WebhookGuard.Refused e) {
            // the name may resolve elsewhere later (or the allowlist change): tried again
            outcome = new Outcome(null, "refused: " + e.getMessage(), null, true);
            metrics.attempts.labelValues("refused").inc();
        }
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        metrics.latency.observe(latencyMs / 1000.0);
        try {
            record(delivery, outcome, latencyMs, now);
        } catch (SQLException | RuntimeException e) {
            // its lease runs out and the delivery is tried again: at least once, not at most
            LOG.warn(
                    "cannot record the outcome of webhook delivery {}: {}",
                    delivery.messageId(),
                    e.toString());
        }
        // the claimer may be waiting for this lease to run out: the retry is due sooner
        wake();
    }

    private void record(
            DeliveryStore.Claimed delivery, Outcome outcome, long latencyMs, Instant now)
            throws SQLException {
        Integer status = outcome.status();
        if (status != null && status >= 200 && status < 300) {
            deliveries.delivered(delivery, status, latencyMs);
            metrics.attempts.labelValues("delivered").inc();
            return;
        }
        if (status != null && status == 410) {
            metrics.attempts.labelValues("given_up").inc();
            if (deliveries.failed(
                    delivery,
                    status,
                    latencyMs,
                    outcome.error(),
                    null,
                    "the endpoint answered 410 Gone",
                    settings.disableAfter())) {
                metrics.disabled.labelValues("gone").inc();
            }
            return;
        }
        boolean retry = outcome.retryable() && delivery.attempt() < settings.maxAttempts();
        Duration retryIn =
                retry ? retries.after(delivery.attempt(), outcome.retryAfter(), now) : null;
        metrics.attempts.labelValues(retry ? "retry" : "given_up").inc();
        if (deliveries.failed(
                delivery,
                status,
                latencyMs,
                outcome.error(),
                retryIn,
                null,
                settings.disableAfter())) {
            metrics.disabled.labelValues("failing").inc();
        }
    }

    /** What an attempt came to: a status (null when none came) or an error. */
    private record Outcome(Integer status, String error, String retryAfter, boolean retryable) {}

    private Outcome send(URI uri, DeliveryStore.Claimed delivery, long timestamp) {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(settings.timeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "barcast-webhooks")
                        .header("webhook-id", delivery.messageId())
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header(
                                "webhook-signature",
                                WebhookSignature.sign(
                                        delivery.secret(),
                                        delivery.messageId(),
                                        timestamp,
                                        delivery.payload()))
                        .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                        .build();
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, info -> new BoundedBody());
        try {
            // connect, then the answer's head, then at most MAX_RESPONSE_BYTES of its body
            HttpResponse<String> response =
                    future.get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(status, null, null, false);
            }
            boolean retryable = status == 408 || status == 429 || status >= 500;
            String error =
                    "answered "
                            + status
                            + (status >= 300 && status < 400
                                    ? " (a redirect, which is not followed)"
                                    : "")
                            + bodyOf(response.body());
            return new Outcome(
                    status,
                    error,
                    response.headers().firstValue("Retry-After").orElse(null),
                    retryable);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(
                    null, "timed out after " + settings.timeout().multipliedBy(2), null, true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted: the instance stopped", null, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String what =
                    cause instanceof HttpConnectTimeoutException
                            ? "connect timed out"
                            : cause instanceof HttpTimeoutException
                                    ? "timed out waiting for the answer"
                                    : cause instanceof ConnectException
                                            ? "connection refused"
                                            : cause instanceof IOException
                                                    ? "connection failed"
                                                    : "failed";
            String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
            return new Outcome(null, cap(what + detail), null, true);
        }
    }

    private static String bodyOf(String body) {
        return body == null || body.isBlank() ? "" : ": " + cap(body.strip());
    }

    private static String cap(String text) {
        return SafeText.cap(SafeText.clean(text), MAX_ERROR_CHARS);
    }

    private void maintain() {
        try {
            long deleted = deliveries.deleteOlderThan(settings.retention());
            if (deleted > 0) {
                LOG.info(
                        "deleted {} webhook deliveries older than {} (api.webhooks.retention)",
                        deleted,
                        settings.retention());
            }
            metrics.backlog.set(deliveries.backlog());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("webhook maintenance failed; trying again shortly: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        if (claimer == null) {
            return;
        }
        claimer.interrupt();
        maintenance.shutdownNow();
        senders.shutdown();
        try {
            claimer.join(5_000);
            // attempts under way may finish; one still going after that is tried again by
            // whichever instance claims it when its lease runs out
            if (!senders.awaitTermination(
                    Math.min(settings.timeout().toMillis(), 5_000), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The answer's body as text, cut at {@link #MAX_RESPONSE_BYTES}: the rest is never read. */
    static final class BoundedBody implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), MAX_RESPONSE_BYTES - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= MAX_RESPONSE_BYTES) {
                subscription.cancel();
                done();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            // what came before the error is still worth showing; the status is known anyway
            done();
        }

        @Override
        public void onComplete() {
            done();
        }

        private void done() {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }
    }
}
