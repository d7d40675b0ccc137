package io.barcast.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Real market bars for tests, read from the classpath resources of {@code org.ta4j:ta4j-examples}
 * (a test dependency; the data is never copied into barcast).
 *
 * <ul>
 *   <li>{@link #eth5m()}: BinanceUS ETH/USD 5-minute bars, 2023-03-13 18:00 to 2023-03-15 18:20 UTC
 *       (580 bars, no gaps)
 *   <li>{@link #eth15m()}: the same on the 15-minute grid (193 bars)
 *   <li>{@link #appleDaily()}: Apple daily bars of 2013 (252 bars)
 * </ul>
 */
public final class RealBars {

    public static final String ETH_SYMBOL = "X:ETHUSD";
    public static final String APPLE_SYMBOL = "AAPL";

    private static final String ETH_RESOURCE = "ETH-USD-PT5M-2023-3-13_2023-3-15.json";
    private static final String APPLE_RESOURCE = "appleinc_bars_from_20130101_usd.csv";
    private static final long FIVE_MINUTES = 300_000;
    private static final long FIFTEEN_MINUTES = 900_000;

    private RealBars() {}

    /** ETH/USD 5-minute bars; {@code time} is the bar start (the file gives the inclusive end). */
    public static List<Bar> eth5m() {
        JsonNode ohlc;
        try (InputStream in = open(ETH_RESOURCE)) {
            ohlc = new ObjectMapper().readTree(in).get("ohlc");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Bar> bars = new ArrayList<>(ohlc.size());
        for (JsonNode bar : ohlc) {
            long start = bar.get("endTime").asLong() + 1 - FIVE_MINUTES;
            bars.add(
                    Bar.of(
                            ETH_SYMBOL,
                            start,
                            bar.get("openPrice").asDouble(),
                            bar.get("highPrice").asDouble(),
                            bar.get("lowPrice").asDouble(),
                            bar.get("closePrice").asDouble(),
                            bar.get("volume").asDouble()));
        }
        return bars;
    }

    /**
     * {@link #eth5m()} aggregated 3:1 onto the 15-minute grid: open of the first, high and low over
     * the three, close of the last, volume summed in time order. A 15-minute slot missing any of
     * its three bars is left out.
     */
    public static List<Bar> eth15m() {
        List<Bar> fine = eth5m();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i + 2 < fine.size(); i++) {
            Bar first = fine.get(i);
            long slot = Math.floorDiv(first.time(), FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
            Bar second = fine.get(i + 1);
            Bar third = fine.get(i + 2);
            if (first.time() != slot
                    || second.time() != slot + FIVE_MINUTES
                    || third.time() != slot + 2 * FIVE_MINUTES) {
                continue;
            }
            double volume = 0.0;
            for (Bar part : List.of(first, second, third)) {
                volume += part.volume();
            }
            bars.add(
                    Bar.of(
                            ETH_SYMBOL,
                            slot,
                            first.open(),
                            Math.max(first.high(), Math.max(second.high(), third.high())),
                            Math.min(first.low(), Math.min(second.low(), third.low())),
                            third.close(),
                            volume));
            i += 2;
        }
        return bars;
    }

    /** Apple daily bars; {@code time} is midnight UTC of the trading date. */
    public static List<Bar> appleDaily() {
        List<Bar> bars = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(open(APPLE_RESOURCE), StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("date,open,high,low,close,volume")) {
                throw new IOException(APPLE_RESOURCE + " has an unexpected header: " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                long time =
                        LocalDate.parse(f[0].trim())
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .toEpochMilli();
                bars.add(
                        Bar.of(
                                APPLE_SYMBOL,
                                time,
                                Double.parseDouble(f[1]),
                                Double.parseDouble(f[2]),
                                Double.parseDouble(f[3]),
                                Double.parseDouble(f[4]),
                                Double.parseDouble(f[5])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bars;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = RealBars.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(
                    resource + " is not on the classpath: add org.ta4j:ta4j-examples (test scope)");
        }
        return in;
    }
}
