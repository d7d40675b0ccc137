package io.barcast.api.http;

import java.util.List;

/**
 * One page of a listing, as every listing answers: {@code {"items": [...], "next_cursor": ...}};
 * {@code nextCursor} is null on the last page and otherwise goes back as the {@code cursor}
 * parameter for the page after.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
