package io.barcast.api.http;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing, as every listing answers: {@code {"items": [...], "next_cursor": ...}},
 * the cursor null on the last page. A paged listing fetches one row more than its limit to know
 * whether another page follows, and {@link #of} turns that into the page.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /**
     * The page of the first {@code limit} of {@code fetched}, which holds up to {@code limit + 1}
     * rows; the cursor points after its last row when another follows.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, Cursor> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(List.copyOf(fetched), null);
        }
        List<T> items = List.copyOf(fetched.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
    }

    /**
     * A listing small enough to answer whole (a row per symbol and horizon, say): {@code {"items":
     * [...]}} without a cursor, since there is never a next page.
     */
    public static <T> Whole<T> whole(List<T> items) {
        return new Whole<>(List.copyOf(items));
    }

    /** The answer of a listing that has no pages. */
    public record Whole<T>(List<T> items) {}

    /** The {@code limit} parameter of a paged listing: 1 to 500, 50 when absent. */
    public static int limit(Params params) {
        return params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }
}
