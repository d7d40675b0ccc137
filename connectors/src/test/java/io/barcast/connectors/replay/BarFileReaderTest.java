package io.barcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarFileReaderTest {

    private static final String AAPL_LINE = "AAPL,1678714200000,10,11,9,10.5,100";
    private static final Bar AAPL_BAR = Bar.of("AAPL", 1678714200000L, 10, 11, 9, 10.5, 100);

    @TempDir Path dir;

    private static List<IncomingBar> read(BarFileReader reader, Path file) {
        List<IncomingBar> records = new ArrayList<>();
        reader.read(file, records::add);
        return records;
    }

    private static List<IncomingBar> read(Path file) {
        return read(new BarFileReader(), file);
    }

    @Test
    void readsCsvWithOptionalColumnsAndIsoTimes() throws Exception {
        Path csv = dir.resolve("bars.csv");
        Files.writeString(
                csv,
                "symbol,t,o,h,l,c,v,vw,n\n"
                        + "AAPL,1678714200000,10,11,9,10.5,100,10.2,7\n"
                        + "MSFT,2023-03-13T13:45:00Z,20,21,19,20.5,200,,\n");
        assertThat(read(csv))
                .extracting(IncomingBar::bar)
                .containsExactly(
                        new Bar("AAPL", 1678714200000L, 10, 11, 9, 10.5, 100, 10.2, 7L),
                        new Bar("MSFT", 1678715100000L, 20, 21, 19, 20.5, 200, null, null));
    }

    @Test
    void keepsUnparsableLinesWithFileLineAndReason() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "symbol,t,o,h,l,c,v\nAAPL,1678714200000,ten,11,9,10.5,100\n");
        IncomingBar bad = read(csv).get(0);
        assertThat(bad.isParsed()).isFalse();
        assertThat(bad.origin()).isEqualTo("replay:bad.csv:2");
        assertThat(bad.problem()).isEqualTo("o is not a number: 'ten'");
        assertThat(bad.payload()).isEqualTo("AAPL,1678714200000,ten,11,9,10.5,100");
    }

    @Test
    void skipsBlankLinesAndTakesWindowsLineBreaksAndAByteOrderMark() throws Exception {
        Path csv = dir.resolve("windows.csv");
        Files.writeString(
                csv, "\uFEFFsymbol,t,o,h,l,c,v\r\n\r\n" + AAPL_LINE + "\r\n   \r\n" + AAPL_LINE);
        List<IncomingBar> records = read(csv);
        assertThat(records).extracting(IncomingBar::bar).containsExactly(AAPL_BAR, AAPL_BAR);
        assertThat(records)
                .extracting(IncomingBar::origin)
                .containsExactly("replay:windows.csv:3", "replay:windows.csv:5");
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
        List<IncomingBar> fromLines = read(lines);
        assertThat(fromLines.get(0).bar())
                .isEqualTo(Bar.of("X:BTCUSD", 1678714200000L, 1, 2, 0.5, 1.5, 3));
        assertThat(fromLines.get(1).isParsed()).isFalse();
        assertThat(fromLines.get(1).problem()).startsWith("not valid JSON");

        List<IncomingBar> fromPolygon = read(polygon);
        assertThat(fromPolygon).extracting(b -> b.bar().symbol()).containsOnly("AAPL");
        assertThat(fromPolygon.get(1).bar())
                .isEqualTo(new Bar("AAPL", 1678715100000L, 10.5, 10.9, 10.4, 10.7, 50, 10.6, 3L));
        assertThat(fromPolygon.get(1).origin()).isEqualTo("replay:aapl.json:3");
    }

    @Test
    void aJsonFileOfOneBarPerLineIsNotTakenForAnAggregatesResponse() throws Exception {
        Path json = dir.resolve("bars.json");
        Files.writeString(
                json,
                "{\"symbol\":\"AAPL\",\"t\":1678714200000,\"o\":10,\"h\":11,\"l\":9,\"c\":10.5,\"v\":100}\n"
                        + "{\"symbol\":\"AAPL\",\"t\":1678714200000,\"o\":10,\"h\":11,\"l\":9,\"c\":10.5,\"v\":100}\n");
        assertThat(read(json)).extracting(IncomingBar::bar).containsExactly(AAPL_BAR, AAPL_BAR);
    }

    @Test
    void aMalformedAggregatesResponseYieldsTheBarsBeforeTheFaultAndOneRecordForTheRest()
            throws Exception {
        Path polygon = dir.resolve("cut.json");
        StringBuilder json = new StringBuilder("{\"ticker\":\"AAPL\",\"results\":[\n");
        for (int i = 0; i < 3; i++) {
            json.append("{\"v\":100,\"o\":10,\"c\":10.5,\"h\":11,\"l\":9,\"t\":")
                    .append(1678714200000L + i * 900_000L)
                    .append("},\n");
        }
        json.append("{\"v\":100,\"o\":10,\"c\":10.5,\"h\":11,\"l\":\"nine\",\"t\":1}\n,");
        json.append("{\"v\":100,\"o\":10,\"c\":10.5,\"h\":11 \"l\":9,\"t\":1},\n");
        json.append("x".repeat(5000)).append("\n]}");
        Files.writeString(polygon, json);

        List<IncomingBar> records = read(polygon);

        assertThat(records).hasSize(5);
        assertThat(records.subList(0, 3)).allMatch(IncomingBar::isParsed);
        assertThat(records.get(2).bar().time()).isEqualTo(1678714200000L + 2 * 900_000L);
        IncomingBar notABar = records.get(3);
        assertThat(notABar.problem()).isEqualTo("l is not a number: 'nine'");
        assertThat(notABar.origin()).isEqualTo("replay:cut.json:5");
        IncomingBar rest = records.get(4);
        assertThat(rest.isParsed()).isFalse();
        assertThat(rest.origin()).isEqualTo("replay:cut.json:6");
        assertThat(rest.problem())
                .startsWith("aggregates response breaks at line 6, column ")
                .endsWith("the rest of the file is not read");
        assertThat(rest.payload())
                .startsWith("\"l\":9")
                .endsWith("bytes in all]")
                .hasSizeLessThan(1200);
    }

    @Test
    void anAggregatesResponseWithoutTickerIsOneRecord() throws Exception {
        Path polygon = dir.resolve("noticker.json");
        Files.writeString(
                polygon, "{\"results\":[{\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"t\":1}]}");
        List<IncomingBar> records = read(polygon);
        assertThat(records)
                .singleElement()
                .extracting(IncomingBar::problem)
                .isEqualTo("aggregates response has no ticker");
    }

    @Test
    void aLineOverTheLimitIsSkippedToItsEndAndReported() throws Exception {
        Path csv = dir.resolve("long.csv");
        int longLength = 3_000_000;
        Files.writeString(
                csv,
                "symbol,t,o,h,l,c,v\n"
                        + AAPL_LINE
                        + "\n"
                        + "AAPL,"
                        + "7".repeat(longLength - 5)
                        + "\n"
                        + AAPL_LINE
                        + "\n");

        List<IncomingBar> records = read(new BarFileReader(1024), csv);

        assertThat(records).hasSize(3);
        assertThat(records.get(0).bar()).isEqualTo(AAPL_BAR);
        IncomingBar tooLong = records.get(1);
        assertThat(tooLong.isParsed()).isFalse();
        assertThat(tooLong.origin()).isEqualTo("replay:long.csv:3");
        assertThat(tooLong.problem())
                .contains("line 3 is 3,000,000 bytes long")
                .contains("limit of 1,024 bytes")
                .contains("replay.max-line-bytes");
        assertThat(tooLong.payload())
                .startsWith("AAPL,777")
                .endsWith("\u2026[truncated: 3000000 bytes in all]")
                .hasSizeLessThanOrEqualTo(LineReader.PREFIX_CHARS + 64);
        assertThat(records.get(2).bar()).isEqualTo(AAPL_BAR);
        assertThat(records.get(2).origin()).isEqualTo("replay:long.csv:4");
    }

    @Test
    void aLineThatIsNotUtf8IsReportedWithItsByteOffsetAndDecodedLossily() throws Exception {
        Path csv = dir.resolve("latin1.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String header = "symbol,t,o,h,l,c,v\n";
        bytes.write(header.getBytes(StandardCharsets.UTF_8));
        bytes.write("SOCI".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC9); // É in ISO-8859-1, a broken sequence in UTF-8
        bytes.write(",1678714200000,10,11,9,10.5,100\n".getBytes(StandardCharsets.UTF_8));
        bytes.write((AAPL_LINE + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(csv, bytes.toByteArray());

        List<IncomingBar> records = read(csv);

        IncomingBar bad = records.get(0);
        assertThat(bad.isParsed()).isFalse();
        assertThat(bad.origin()).isEqualTo("replay:latin1.csv:2");
        assertThat(bad.problem())
                .isEqualTo(
                        "line 2 is not valid UTF-8: byte 0xC9 at byte offset "
                                + (header.length() + 4)
                                + " of the file (byte 5 of the line)");
        assertThat(bad.payload()).startsWith("SOCI\uFFFD,1678714200000");
        assertThat(records.get(1).bar()).isEqualTo(AAPL_BAR);
    }

    @Test
    void aNulIsJustTextAndTheLineIsParsedAsUsual() throws Exception {
        Path csv = dir.resolve("nul.csv");
        Files.writeString(csv, "symbol,t,o,h,l,c,v\nAA\u0000PL,1678714200000,10,11,9,10.5,100\n");
        assertThat(read(csv))
                .singleElement()
                .extracting(IncomingBar::bar)
                .isEqualTo(Bar.of("AA\u0000PL", 1678714200000L, 10, 11, 9, 10.5, 100));
    }

    @Test
    void aCsvHeaderThatCannotBeUsedIsOneRecord() throws Exception {
        Path csv = dir.resolve("noheader.csv");
        Files.writeString(csv, AAPL_LINE + "\n" + AAPL_LINE + "\n");
        assertThat(read(csv))
                .singleElement()
                .satisfies(
                        record -> {
                            assertThat(record.origin()).isEqualTo("replay:noheader.csv:1");
                            assertThat(record.problem())
                                    .startsWith("CSV header lacks column 'symbol'")
                                    .endsWith("the rest of the file is not read");
                        });
    }

    @Test
    void aMissingPathIsRefusedAtBuildTime() {
        assertThatThrownBy(() -> ReplaySource.builder().path(dir.resolve("nope")).build())
                .hasMessageContaining("no such file or directory");
    }

    @Test
    void aLineLimitOutOfRangeIsRefusedNamingTheOption() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "symbol,t,o,h,l,c,v\n");
        assertThatThrownBy(() -> ReplaySource.builder().path(dir).maxLineBytes(10).build())
                .hasMessageStartingWith("replay.max-line-bytes: must be between 256 and");
    }
}
