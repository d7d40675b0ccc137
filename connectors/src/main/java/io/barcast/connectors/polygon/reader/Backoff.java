package io.barcast.connectors.polygon.reader;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry in a row waits a random time between half and all
 * of {@code initial * 2^(n-1)}, capped at {@code max}, so that readers that failed together do not
 * retry together.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The wait before retry number {@code attempt} (1 for the first). */
    long delayMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long cap = Math.min(maxMillis, initialMillis << doublings);
        long half = cap / 2;
        return half + ThreadLocalRandom.current().nextLong(cap - half + 1);
    }

    /**
     * The wait a {@code Retry-After} header asks for (delay-seconds or an HTTP date), or -1 when
     * there is none or it cannot be read.
     */
    static long retryAfterMillis(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.trim();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                long at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant()
                                .toEpochMilli();
                return Math.max(0, at - nowMillis);
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }
}
