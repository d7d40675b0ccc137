package io.barcast.api.routes;

import io.barcast.api.http.Params;
import io.barcast.core.recommend.TradeSide;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Parameters several listings take, checked the same way everywhere. */
final class ListingParams {

    /** The most symbols one {@code symbols} parameter may list. */
    static final int MAX_SYMBOLS = 100;

    static final Set<String> SIDES =
            Arrays.stream(TradeSide.values()).map(TradeSide::label).collect(Collectors.toSet());

    private ListingParams() {}

    /** {@code symbols=AAPL,X:BTCUSD}: checked, upper-cased; empty when absent. */
    static List<String> symbols(Params params) {
        return params.symbols("symbols", MAX_SYMBOLS);
    }
}
