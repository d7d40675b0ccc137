package io.barcast.connectors.polygon.reader;

import java.util.List;

/** barcast symbols and the WebSocket channels that carry their minute aggregates. */
final class Channels {

    private static final List<String> QUOTES = List.of("USDT", "USDC", "USD", "EUR", "GBP");

    private Channels() {}

    /** {@code AM.AAPL} for a stock, {@code XA.BTC-USD} for the crypto pair {@code X:BTCUSD}. */
    static String of(String symbol) {
        return symbol.startsWith("X:") ? "XA." + pairOf(symbol) : "AM." + symbol;
    }

    /** {@code BTC-USD} for {@code X:BTCUSD}. */
    static String pairOf(String symbol) {
        String pair = symbol.substring(2);
        for (String quote : QUOTES) {
            if (pair.endsWith(quote) && pair.length() > quote.length()) {
                return pair.substring(0, pair.length() - quote.length()) + "-" + quote;
            }
        }
        throw new IllegalArgumentException(
                "cannot tell base from quote currency in " + symbol + " (quotes: " + QUOTES + ")");
    }

    /** {@code X:BTCUSD} for {@code BTC-USD}. */
    static String symbolOfPair(String pair) {
        return "X:" + pair.replace("-", "");
    }
}
