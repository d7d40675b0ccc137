package io.barcast.api.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where the next page of a listing ordered by a time that is unique within it starts (a symbol's
 * bars by bar time): after the time of the last row of the page before. Opaque to clients
 * (base64url of the epoch milliseconds), like {@link Cursor}.
 */
public record TimeCursor(Instant time) {

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        Long.toString(time.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    }

    static TimeCursor decode(String name, String raw) {
        try {
            if (raw.length() > 40) {
                throw new IllegalArgumentException("too long");
            }
            String plain = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            return new TimeCursor(Instant.ofEpochMilli(Long.parseLong(plain)));
        } catch (RuntimeException e) {
            throw ApiProblem.badParameter(
                    name, name + " is not a cursor this API gave out (next_cursor of a page)");
        }
    }
}
