package io.barcast.jobs.cli;

import io.barcast.core.simulator.MarketSimulator;
import io.barcast.core.simulator.SimulatorCsvWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code barcast simulate}: simulated bars to a CSV file, e.g. as training data. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Writes simulated 15-minute bars (symbol,t,o,h,l,c,v) to a CSV file.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @Option(
            names = "--symbols",
            defaultValue = "20",
            description = "Symbols (default ${DEFAULT-VALUE}).")
    int symbols;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--from",
            defaultValue = "2026-01-05",
            description = "First day, UTC (default ${DEFAULT-VALUE}).")
    LocalDate from;

    @Option(
            names = "--to",
            defaultValue = "2026-03-02",
            description = "Day after the last, UTC (default ${DEFAULT-VALUE}).")
    LocalDate to;

    @Override
    public Integer call() throws Exception {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("--to must be after --from");
        }
        long start = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long end = to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            long bars =
                    SimulatorCsvWriter.write(
                            writer, seed, MarketSimulator.symbols(symbols), start, end);
            System.out.printf("Wrote %,d bars of %d symbols to %s%n", bars, symbols, out);
        }
        return 0;
    }
}
