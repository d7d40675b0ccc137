package io.barcast.core.backtest;

import io.barcast.core.TradeOutcome;
import io.barcast.core.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The results of a backtest: the run's facts, then per symbol and over all symbols the accuracy of
 * the validated forecast points at each horizon and how the recommended trades turned out. Built by
 * {@link #compute}; rendered by {@link ReportWriter}.
 *
 * @param run what was replayed
 * @param validations how many forecast points were checked against actual bars
 * @param symbols one section per symbol: those of the run in its order, then any other symbol the
 *     validations or trades name
 * @param allSymbols every symbol together; its price errors (MAE, RMSE) mix the symbols' price
 *     scales, its MAPE and skill compare across them
 */
public record BacktestReport(
        RunFacts run, long validations, List<ReportSection> symbols, ReportSection allSymbols) {

    /** The name of the section over all symbols. */
    public static final String ALL_SYMBOLS = "all symbols";

    public BacktestReport {
        symbols = List.copyOf(symbols);
    }

    /** The report of a run that checked {@code validations} and closed {@code outcomes}. */
    public static BacktestReport compute(
            RunFacts run, List<Validation> validations, List<TradeOutcome> outcomes) {
        Map<String, List<Validation>> validationsBySymbol =
                bySymbol(validations, Validation::symbol);
        Map<String, List<TradeOutcome>> outcomesBySymbol = bySymbol(outcomes, TradeOutcome::symbol);
        Set<String> names = new LinkedHashSet<>(run.symbols());
        names.addAll(new TreeSet<>(validationsBySymbol.keySet()));
        names.addAll(new TreeSet<>(outcomesBySymbol.keySet()));
        List<ReportSection> sections = new ArrayList<>(names.size());
        for (String symbol : names) {
            sections.add(
                    ReportSection.of(
                            symbol,
                            validationsBySymbol.getOrDefault(symbol, List.of()),
                            outcomesBySymbol.getOrDefault(symbol, List.of())));
        }
        return new BacktestReport(
                run,
                validations.size(),
                sections,
                ReportSection.of(ALL_SYMBOLS, validations, outcomes));
    }

    /**
     * The report written by {@link ReportWriter#json}.
     *
     * @throws java.io.UncheckedIOException when {@code json} is not such a report
     */
    public static BacktestReport fromJson(String json) {
        return ReportJson.read(json);
    }

    private static <T> Map<String, List<T>> bySymbol(List<T> items, Function<T, String> symbol) {
        Map<String, List<T>> grouped = new LinkedHashMap<>();
        for (T item : items) {
            grouped.computeIfAbsent(symbol.apply(item), s -> new ArrayList<>()).add(item);
        }
        return grouped;
    }
}
