package io.barcast.api.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of a newest-first listing starts: the time and id of the last row of the page
 * before (keyset paging, so a page stays right while rows are added). Opaque to clients: base64url
 * of {@code <epoch ms>:<uuid>}.
 */
public record Cursor(Instant time, UUID id) {

    public String encode() {
        String plain = time.toEpochMilli() + ":" + id;
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String name, String raw) {
        try {
            if (raw.length() > 100) {
                throw new IllegalArgumentException("too long");
            }
            String plain = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            return new Cursor(
                    Instant.ofEpochMilli(Long.parseLong(plain.substring(0, colon))),
                    UUID.fromString(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw ApiProblem.badParameter(
                    name, name + " is not a cursor this API gave out (next_cursor of a page)");
        }
    }
}
