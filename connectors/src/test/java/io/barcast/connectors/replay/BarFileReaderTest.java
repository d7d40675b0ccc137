package io.barcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarFileReaderTest {

    @TempDir Path dir;

    @Test
    void readsCsvWithOptionalColumnsAndIsoTimes() throws Exception {
        Path csv = dir.resolve("bars.csv");
        Files.writeString(
                csv,
                "symbol,t,o,h,l,c,v,vw,n\n"
                        + "AAPL,1678714200000,10,11,9,10.5,100,10.2,7\n"
                        + "MSFT,2023-03-13T13:45:00Z,20,21,19,20.5,200,,\n");
        List<IncomingBar> bars = new BarFileReader().read(csv);
        assertThat(bars)
                .extracting(IncomingBar::bar)
                .containsExactly(
                        new Bar("AAPL", 1678714200000L, 10, 11, 9, 10.5, 100, 10.2, 7L),
                        new Bar("MSFT", 1678715100000L, 20, 21, 19, 20.5, 200, null, null));
    }

    @Test
    void keepsUnparsableLinesWithFileLineAndReason() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "symbol,t,o,h,l,c,v\nAAPL,1678714200000,ten,11,9,10.5,100\n");
        IncomingBar bad = new BarFileReader().read(csv).get(0);
        assertThat(bad.isParsed()).isFalse();
        assertThat(bad.origin()).isEqualTo("replay:bad.csv:2");
        assertThat(bad.problem()).isEqualTo("o is not a number: 'ten'");
        assertThat(bad.payload()).isEqualTo("AAPL,1678714200000,ten,11,9,10.5,100");
    }

    @Test
    void readsJsonLinesAndSavedPolygonAggregates() throws Exception {
        Path lines = dir.resolve("bars.jsonl");
        Files.writeString(
                lines,
                "{\"symbol\":\"X:BTCUSD\",\"t\":1678714200000,\"o\":1,\"h\":2,\"l\":0.5,\"c\":1.5,\"v\":3}\n"
                        + "not json\n");
        Path polygon = dir.resolve("aapl.json");
        Files.writeString(
                polygon,
                """
                {"ticker":"AAPL","queryCount":2,"resultsCount":2,"adjusted":true,
                 "results":[{"v":100,"vw":10.1,"o":10,"c":10.5,"h":11,"l":9,"t":1678714200000,"n":5},
                            {"v":50,"vw":10.6,"o":10.5,"c":10.7,"h":10.9,"l":10.4,"t":1678715100000,"n":3}],
                 "status":"OK","request_id":"abc","count":2}
                """);
        List<IncomingBar> fromLines = new BarFileReader().read(lines);
        assertThat(fromLines.get(0).bar())
                .isEqualTo(Bar.of("X:BTCUSD", 1678714200000L, 1, 2, 0.5, 1.5, 3));
        assertThat(fromLines.get(1).isParsed()).isFalse();
        assertThat(fromLines.get(1).problem()).startsWith("not valid JSON");

        List<IncomingBar> fromPolygon = new BarFileReader().read(polygon);
        assertThat(fromPolygon).extracting(b -> b.bar().symbol()).containsOnly("AAPL");
        assertThat(fromPolygon.get(1).bar())
                .isEqualTo(new Bar("AAPL", 1678715100000L, 10.5, 10.9, 10.4, 10.7, 50, 10.6, 3L));
    }

    @Test
    void mergesFilesInEventTimeOrder() throws Exception {
        Files.writeString(
                dir.resolve("a.csv"), "symbol,t,o,h,l,c,v\nA,2000,1,1,1,1,1\nA,4000,1,1,1,1,1\n");
        Files.writeString(
                dir.resolve("b.csv"), "symbol,t,o,h,l,c,v\nB,1000,1,1,1,1,1\nB,3000,1,1,1,1,1\n");
        List<IncomingBar> merged = new BarFileReader().readAll(BarFileReader.expand(dir));
        assertThat(merged)
                .extracting(b -> b.bar().time())
                .containsExactly(1000L, 2000L, 3000L, 4000L);
    }

    @Test
    void aMissingPathIsRefusedAtBuildTime() {
        assertThatThrownBy(() -> ReplaySource.builder().path(dir.resolve("nope")).build())
                .hasMessageContaining("no such file or directory");
    }
}
