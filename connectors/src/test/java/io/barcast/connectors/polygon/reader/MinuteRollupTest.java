package io.barcast.connectors.polygon.reader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MinuteRollupTest {

    private static final long T0 = Instant.parse("2026-11-20T14:30:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private static MinuteBar minute(int i, double open, double high, double low, double close) {
        return new MinuteBar(
                "AAPL",
                T0 + i * MINUTE,
                T0 + (i + 1) * MINUTE,
                open,
                high,
                low,
                close,
                100 + i,
                (high + low) / 2,
                10);
    }

    @Test
    void rollsMinutesIntoTheBarPolygonComputes() {
        MinuteRollup rollup = new MinuteRollup("AAPL");
        rollup.add(minute(0, 10, 11, 9.5, 10.5));
        rollup.add(minute(7, 10.5, 12, 10, 11));
        rollup.add(minute(14, 11, 11.5, 8, 9));

        Bar bar = rollup.pollFinal(T0 + 15 * MINUTE);

        double value = 100 * 10.25 + 107 * 11 + 114 * 9.75;
        assertThat(bar).isEqualTo(new Bar("AAPL", T0, 10, 12, 8, 9, 321, value / 321, 30L));
        assertThat(rollup.isEmpty()).isTrue();
    }

    @Test
    void holdsABarUntilItIsFinalAndTakesRevisionsBeforeThat() {
        MinuteRollup rollup = new MinuteRollup("AAPL");
        rollup.add(minute(3, 10, 11, 9, 10));
        rollup.add(minute(16, 10, 10, 10, 10));

        assertThat(rollup.pollFinal(T0 + 15 * MINUTE - 1)).isNull();
        rollup.add(minute(3, 10, 13, 9, 12)); // the same minute, revised

        Bar first = rollup.pollFinal(T0 + 15 * MINUTE);
        assertThat(first.high()).isEqualTo(13);
        assertThat(first.close()).isEqualTo(12);
        assertThat(rollup.pollFinal(T0 + 15 * MINUTE)).isNull();
        assertThat(rollup.pollFinal(T0 + 30 * MINUTE).time()).isEqualTo(T0 + 15 * MINUTE);
    }

    @Test
    void readsStockAndCryptoEvents() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        MinuteBar stock =
                MinuteBar.of(
                        mapper.readTree(
                                "{\"ev\":\"AM\",\"sym\":\"AAPL\",\"v\":400,\"av\":9000,\"op\":1,"
                                        + "\"vw\":2.5,\"o\":2,\"c\":3,\"h\":4,\"l\":1,\"a\":2,"
                                        + "\"z\":40,\"s\":1000,\"e\":61000}"));
        MinuteBar crypto =
                MinuteBar.of(
                        mapper.readTree(
                                "{\"ev\":\"XA\",\"pair\":\"ETH-USD\",\"v\":1.5,\"vw\":2.5,"
                                        + "\"z\":0.5,\"o\":2,\"c\":3,\"h\":4,\"l\":1,\"s\":0,"
                                        + "\"e\":60000}"));

        assertThat(stock).isEqualTo(new MinuteBar("AAPL", 1000, 61000, 2, 4, 1, 3, 400, 2.5, 10));
        assertThat(crypto.symbol()).isEqualTo("X:ETHUSD");
        assertThat(crypto.trades()).isEqualTo(3);
    }

    @Test
    void mapsSymbolsToChannels() {
        assertThat(Channels.of("AAPL")).isEqualTo("AM.AAPL");
        assertThat(Channels.of("X:BTCUSD")).isEqualTo("XA.BTC-USD");
        assertThat(Channels.of("X:ETHUSDT")).isEqualTo("XA.ETH-USDT");
        assertThat(Channels.symbolOfPair("BTC-USD")).isEqualTo("X:BTCUSD");
    }
}
