package io.barcast.api.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed attempt is tried again: exponential backoff (the first wait, then three times the
 * one before, at most {@link WebhookSettings#MAX_BACKOFF}) with ±20% jitter so that the deliveries
 * of an endpoint that came back do not all arrive at once; a receiver's {@code Retry-After}
 * (seconds or an HTTP date) is honoured when it asks for longer.
 */
public final class RetrySchedule {

    private static final double FACTOR = 3;
    private static final double JITTER = 0.2;

    private final Duration first;

    public RetrySchedule(Duration first) {
        this.first = first;
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    public Duration after(int attempt) {
        double base = first.toMillis() * Math.pow(FACTOR, Math.max(0, attempt - 1));
        double capped = Math.min(base, WebhookSettings.MAX_BACKOFF.toMillis());
        double jitter = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    /** The wait after failed attempt {@code attempt}, at least what {@code retryAfter} asks. */
    public Duration after(int attempt, String retryAfter, Instant now) {
        Duration backoff = after(attempt);
        Duration asked = retryAfter(retryAfter, now);
        if (asked == null) {
            return backoff;
        }
        // a receiver may ask for a pause, not for the delivery to wait beyond the cap
        Duration bounded =
                asked.compareTo(WebhookSettings.MAX_BACKOFF) > 0
                        ? WebhookSettings.MAX_BACKOFF
                        : asked;
        return bounded.compareTo(backoff) > 0 ? bounded : backoff;
    }

    /** {@code Retry-After} as a wait: delay seconds or an HTTP date; null when absent or bad. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return WebhookSettings.MAX_BACKOFF;
            }
        }
        try {
            Instant at =
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
