package io.barcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.connectors.testing.BarFiles;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.testing.RealBars;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's merge of files and runs, and its restore from a checkpoint. */
class ReplayCursorTest {

    private static final Comparator<Bar> TIME_THEN_SYMBOL =
            Comparator.comparingLong(Bar::time).thenComparing(Bar::symbol);

    @TempDir Path dir;

    private static List<IncomingBar> drain(ReplayCursor cursor) {
        List<IncomingBar> out = new ArrayList<>();
        while (cursor.hasNext()) {
            out.add(cursor.next());
        }
        cursor.close();
        return out;
    }

    private static List<IncomingBar> replay(ReplaySplit split) {
        return drain(new ReplayCursor(split, ReadSettings.DEFAULTS));
    }

    private static ReplaySplit split(Path... files) {
        return ReplaySplit.unread("replay-0", Arrays.stream(files).map(Path::toString).toList());
    }

    private static Bar renamed(Bar bar, String symbol) {
        return Bar.of(
                symbol, bar.time(), bar.open(), bar.high(), bar.low(), bar.close(), bar.volume());
    }

    /** Real ETH bars under two symbols, all of one symbol first: two runs in one file. */
    private Path groupedBySymbol() throws Exception {
        List<Bar> grouped = new ArrayList<>();
        RealBars.eth15m().forEach(bar -> grouped.add(renamed(bar, "X:ETHUSD")));
        RealBars.eth15m().forEach(bar -> grouped.add(renamed(bar, "ETH")));
        return BarFiles.csv(dir.resolve("grouped.csv"), grouped);
    }

    @Test
    void mergesFilesInEventTimeOrder() throws Exception {
        Path a =
                BarFiles.csv(
                        dir.resolve("a.csv"),
                        List.of(
                                Bar.of("A", 2000, 1, 1, 1, 1, 1),
                                Bar.of("A", 4000, 1, 1, 1, 1, 1)));
        Path b =
                BarFiles.csv(
                        dir.resolve("b.csv"),
                        List.of(
                                Bar.of("B", 1000, 1, 1, 1, 1, 1),
                                Bar.of("B", 3000, 1, 1, 1, 1, 1)));
        assertThat(replay(split(a, b)))
                .extracting(r -> r.bar().time())
                .containsExactly(1000L, 2000L, 3000L, 4000L);
    }

    @Test
    void aFileGroupedBySymbolComesOutInTimeOrder() throws Exception {
        Path file = groupedBySymbol();
        List<Bar> expected = new ArrayList<>();
        RealBars.eth15m().forEach(bar -> expected.add(renamed(bar, "X:ETHUSD")));
        RealBars.eth15m().forEach(bar -> expected.add(renamed(bar, "ETH")));
        expected.sort(TIME_THEN_SYMBOL);

        ReplayCursor cursor = new ReplayCursor(split(file), ReadSettings.DEFAULTS);
        assertThat(cursor.snapshot().runs()).hasSize(2);
        assertThat(drain(cursor)).extracting(IncomingBar::bar).containsExactlyElementsOf(expected);
    }

    @Test
    void barsOfOneTimeComeOutBySymbolThenByPositionInTheInput() throws Exception {
        Path first =
                Files.writeString(
                        dir.resolve("first.jsonl"),
                        """
                        {"symbol":"MSFT","t":1000,"o":1,"h":1,"l":1,"c":1,"v":1}
                        {"symbol":"AAPL","t":1000,"o":1,"h":1,"l":1,"c":1,"v":1}
                        {"symbol":"MSFT","t":1000,"o":2,"h":2,"l":2,"c":2,"v":2}
                        {"symbol":"AAPL","t":2000,"o":1,"h":1,"l":1,"c":1,"v":1}
                        """);
        Path second =
                Files.writeString(
                        dir.resolve("second.jsonl"),
                        """
                        {"symbol":"GOOG","t":1000,"o":1,"h":1,"l":1,"c":1,"v":1}
                        {"symbol":"AAPL","t":1000,"o":3,"h":3,"l":3,"c":3,"v":3}
                        """);
        assertThat(replay(split(first, second)))
                .extracting(r -> r.bar().symbol() + "@" + r.bar().time() + "/" + r.bar().open())
                .containsExactly(
                        "AAPL@1000/1.0",
                        "AAPL@1000/3.0",
                        "GOOG@1000/1.0",
                        "MSFT@1000/1.0",
                        "MSFT@1000/2.0",
                        "AAPL@2000/1.0");
    }

    @Test
    void unparsableLinesComeOutWhenTheirRunReachesThem() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("mixed.csv"),
                        "symbol,t,o,h,l,c,v\nA,1000,1,1,1,1,1\nA,oops,1,1,1,1,1\nA,3000,1,1,1,1,1\n"
                                + "B,2000,1,1,1,1,1\n");
        assertThat(replay(split(file)))
                .extracting(r -> r.isParsed() ? r.bar().symbol() + r.bar().time() : r.origin())
                .containsExactly("A1000", "replay:mixed.csv:3", "B2000", "A3000");
    }

    @Test
    void aRestoreAtAnyPointContinuesWithExactlyTheRest() throws Exception {
        Path grouped = groupedBySymbol();
        Path ties =
                Files.writeString(
                        dir.resolve("ties.csv"),
                        "symbol,t,o,h,l,c,v\nZ,1678714200000,1,1,1,1,1\nB,1678714200000,1,1,1,1,1\n"
                                + "bad line\nA,1678714200000,1,1,1,1,1\nA,1678715100000,1,1,1,1,1\n");
        ReplaySplit split = split(grouped, ties);
        List<IncomingBar> full = replay(split);
        ReplaySplitSerializer serializer = new ReplaySplitSerializer();

        for (int emitted = 0; emitted <= full.size(); emitted++) {
            ReplayCursor cursor = new ReplayCursor(split, ReadSettings.DEFAULTS);
            for (int i = 0; i < emitted; i++) {
                cursor.next();
            }
            ReplaySplit checkpoint =
                    serializer.deserialize(
                            serializer.getVersion(), serializer.serialize(cursor.snapshot()));
            cursor.close();

            assertThat(replay(checkpoint))
                    .as("restored after %d of %d", emitted, full.size())
                    .containsExactlyElementsOf(full.subList(emitted, full.size()));
        }
    }

    @Test
    void aRestoreReadsOnFromItsPositionNotFromTheStart() throws Exception {
        List<Bar> eth = RealBars.eth15m();
        Path file = BarFiles.csv(dir.resolve("eth.csv"), eth);
        ReplayCursor cursor = new ReplayCursor(split(file), ReadSettings.DEFAULTS);
        int emitted = eth.size() / 2;
        for (int i = 0; i < emitted; i++) {
            cursor.next();
        }
        ReplaySplit checkpoint = cursor.snapshot();
        cursor.close();
        long offset = checkpoint.runs().get(0).offset();
        assertThat(offset).isPositive();
        // spoil every line before the position; a restore that re-read them would emit them
        try (RandomAccessFile spoil = new RandomAccessFile(file.toFile(), "rw")) {
            long headerEnd = "symbol,t,o,h,l,c,v\n".length();
            for (long at = headerEnd; at < offset; at++) {
                spoil.seek(at);
                if (spoil.read() != '\n') {
                    spoil.seek(at);
                    spoil.write('x');
                }
            }
        }

        assertThat(replay(checkpoint))
                .extracting(IncomingBar::bar)
                .containsExactlyElementsOf(eth.subList(emitted, eth.size()));
    }

    @Test
    void aVersion1SplitRestoresBySkippingTheBarsItHadEmitted() throws Exception {
        Path file = groupedBySymbol();
        List<IncomingBar> full = replay(split(file));
        int emitted = 100;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("replay-0");
            out.writeInt(1);
            out.writeUTF(file.toString());
            out.writeLong(emitted);
        }

        ReplaySplit restored =
                new ReplaySplitSerializer()
                        .deserialize(ReplaySplitSerializer.POSITION_COUNT, bytes.toByteArray());

        assertThat(restored.files()).containsExactly(file.toString());
        assertThat(replay(restored)).containsExactlyElementsOf(full.subList(emitted, full.size()));
    }

    @Test
    void pastTheRunLimitTheRestOfTheFileComesOutAsItStands() throws Exception {
        List<Bar> backwards = new ArrayList<>();
        for (long time = 6; time >= 1; time--) {
            backwards.add(Bar.of("A", time * 1000, 1, 1, 1, 1, 1));
        }
        Path file = BarFiles.csv(dir.resolve("backwards.csv"), backwards);

        ReplayCursor cursor = new ReplayCursor(split(file), ReadSettings.DEFAULTS, 3);

        assertThat(cursor.snapshot().runs()).hasSize(3);
        // runs [6], [5] and, past the limit, [4, 3, 2, 1] as the file has them
        assertThat(drain(cursor))
                .extracting(r -> r.bar().time() / 1000)
                .containsExactly(4L, 3L, 2L, 1L, 5L, 6L);
    }

    @Test
    void aTimeWindowLeavesOutTheBarsOutsideButNotWhatCannotBeParsed() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("window.csv"),
                        "symbol,t,o,h,l,c,v\nA,1000,1,1,1,1,1\nA,2000,1,1,1,1,1\nnot a bar\n"
                                + "A,3000,1,1,1,1,1\nA,4000,1,1,1,1,1\n");
        ReadSettings window = new ReadSettings(ReadSettings.DEFAULT_MAX_LINE_BYTES, 2000, 4000);

        assertThat(drain(new ReplayCursor(split(file), window)))
                .extracting(r -> r.isParsed() ? Long.toString(r.bar().time()) : r.origin())
                .containsExactly("2000", "replay:window.csv:4", "3000");
    }
}
