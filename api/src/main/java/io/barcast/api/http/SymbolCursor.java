package io.barcast.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a listing ordered by symbol starts: after the last symbol of the page
 * before. Opaque to clients (base64url of the symbol), like {@link Cursor}.
 */
public record SymbolCursor(String symbol) {

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(symbol.getBytes(StandardCharsets.UTF_8));
    }

    static SymbolCursor decode(String name, String raw) {
        String symbol = null;
        try {
            if (raw.length() <= 100) {
                symbol =
                        Params.symbolOf(
                                name,
                                new String(
                                        Base64.getUrlDecoder().decode(raw),
                                        StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            symbol = null;
        }
        if (symbol == null) {
            throw ApiProblem.badParameter(
                    name, name + " is not a cursor this API gave out (next_cursor of a page)");
        }
        return new SymbolCursor(symbol);
    }
}
