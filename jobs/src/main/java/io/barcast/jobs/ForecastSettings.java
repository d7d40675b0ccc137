package io.barcast.jobs;

import io.barcast.core.Bar;
import io.barcast.core.calendar.AroundTheClock;
import io.barcast.core.calendar.RegularSession;
import io.barcast.core.calendar.SymbolCalendars;
import io.barcast.core.confidence.ConfidenceDecay;
import io.barcast.core.confidence.ConfidenceScorer;
import io.barcast.core.confidence.ConfidenceWeights;
import io.barcast.functions.track.MonitorSettings;
import io.barcast.functions.track.TrackerSettings;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.CalendarOptions;
import io.barcast.jobs.options.ForecastOptions;
import io.barcast.jobs.options.InvalidOptionException;
import io.barcast.jobs.options.MonitorOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;

/**
 * Turns the calendar, band, confidence and recommendation options into what the operators take;
 * every problem names its option.
 */
public final class ForecastSettings {

    /** How far ahead a forecast looks: a week of the symbol's market. */
    public static final int HORIZON_DAYS = 7;

    private ForecastSettings() {}

    /** Each symbol's calendar: the defaults, {@code calendar.symbols} and the XNYS corrections. */
    public static SymbolCalendars calendars(BarcastConfig config) {
        Set<LocalDate> closures = new LinkedHashSet<>();
        for (String day : entries(config.get(CalendarOptions.XNYS_EXTRA_CLOSURES))) {
            closures.add(date(CalendarOptions.XNYS_EXTRA_CLOSURES, day));
        }
        Map<LocalDate, LocalTime> earlyCloses = new LinkedHashMap<>();
        for (String entry : entries(config.get(CalendarOptions.XNYS_EXTRA_EARLY_CLOSES))) {
            String[] pair = pair(CalendarOptions.XNYS_EXTRA_EARLY_CLOSES, entry, "DATE=HH:MM");
            try {
                earlyCloses.put(
                        date(CalendarOptions.XNYS_EXTRA_EARLY_CLOSES, pair[0]),
                        LocalTime.parse(pair[1]));
            } catch (DateTimeParseException e) {
                throw new InvalidOptionException(
                        CalendarOptions.XNYS_EXTRA_EARLY_CLOSES.key(),
                        "'" + pair[1] + "' is not a time of day (HH:MM)");
            }
        }
        Map<String, String> bySymbol = new LinkedHashMap<>();
        for (String entry : entries(config.get(CalendarOptions.SYMBOLS))) {
            String[] pair = pair(CalendarOptions.SYMBOLS, entry, "SYMBOL=CALENDAR");
            bySymbol.put(pair[0], pair[1]);
        }
        try {
            return new SymbolCalendars(
                    List.of(RegularSession.xnys(closures, earlyCloses), AroundTheClock.INSTANCE),
                    bySymbol);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(CalendarOptions.SYMBOLS.key(), e.getMessage());
        }
    }

    /** The tracker's settings; {@code liveFeed} when bars come from Polygon or Kafka. */
    public static TrackerSettings tracker(BarcastConfig config, SymbolCalendars calendars) {
        double coverage = config.get(ForecastOptions.BAND_COVERAGE);
        if (!(coverage > 0 && coverage < 1)) {
            throw new InvalidOptionException(
                    ForecastOptions.BAND_COVERAGE.key(),
                    "must be between 0 and 1 (exclusive), got " + coverage);
        }
        int minResiduals = config.get(ForecastOptions.BAND_MIN_RESIDUALS);
        int window = config.get(ForecastOptions.BAND_RESIDUAL_WINDOW);
        if (minResiduals < 1) {
            throw new InvalidOptionException(
                    ForecastOptions.BAND_MIN_RESIDUALS.key(), "must be at least 1");
        }
        if (window < minResiduals) {
            throw new InvalidOptionException(
                    ForecastOptions.BAND_RESIDUAL_WINDOW.key(),
                    "must be at least band.min-residuals (" + minResiduals + "), got " + window);
        }
        double minProfit = config.get(ForecastOptions.RECOMMENDATION_MIN_PROFIT);
        if (!(minProfit >= 0) || Double.isInfinite(minProfit)) {
            throw new InvalidOptionException(
                    ForecastOptions.RECOMMENDATION_MIN_PROFIT.key(),
                    "must be a percentage >= 0, got " + minProfit);
        }
        double minConfidence = config.get(ForecastOptions.RECOMMENDATION_MIN_CONFIDENCE);
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new InvalidOptionException(
                    ForecastOptions.RECOMMENDATION_MIN_CONFIDENCE.key(),
                    "must be between 0 and 1, got " + minConfidence);
        }
        SourceKind source = config.source();
        return new TrackerSettings(
                calendars,
                Bar.INTERVAL,
                HORIZON_DAYS,
                coverage,
                minResiduals,
                window,
                new ConfidenceScorer(weights(config), decay(config)),
                minProfit,
                minConfidence,
                source == SourceKind.POLYGON || source == SourceKind.KAFKA,
                config.get(PipelineOptions.WINDOW_TTL),
                monitor(config));
    }

    /** The reprediction, retrain and alert thresholds, each checked by name. */
    static MonitorSettings monitor(BarcastConfig config) {
        double threshold = config.get(MonitorOptions.VALIDATION_THRESHOLD);
        if (!(threshold > 0 && threshold < 1)) {
            throw new InvalidOptionException(
                    MonitorOptions.VALIDATION_THRESHOLD.key(),
                    "must be a fraction between 0 and 1 (0.02 is 2%), got " + threshold);
        }
        double accuracy = config.get(MonitorOptions.VALIDATION_ACCURACY_THRESHOLD);
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new InvalidOptionException(
                    MonitorOptions.VALIDATION_ACCURACY_THRESHOLD.key(),
                    "must be between 0 and 1, got " + accuracy);
        }
        int minPoints = config.get(MonitorOptions.VALIDATION_MIN_POINTS);
        if (minPoints < 1) {
            throw new InvalidOptionException(
                    MonitorOptions.VALIDATION_MIN_POINTS.key(),
                    "must be positive, got " + minPoints);
        }
        double skill = config.get(MonitorOptions.RETRAIN_SKILL_THRESHOLD);
        if (!(skill <= 1)) {
            throw new InvalidOptionException(
                    MonitorOptions.RETRAIN_SKILL_THRESHOLD.key(),
                    "must be at most 1 (skill 1 is a perfect forecast), got " + skill);
        }
        double lowConfidence = config.get(MonitorOptions.ALERTS_LOW_CONFIDENCE);
        if (!(lowConfidence >= 0 && lowConfidence <= 1)) {
            throw new InvalidOptionException(
                    MonitorOptions.ALERTS_LOW_CONFIDENCE.key(),
                    "must be between 0 and 1, got " + lowConfidence);
        }
        for (var option :
                List.of(
                        MonitorOptions.REPREDICTION_COOLDOWN,
                        MonitorOptions.RETRAIN_AFTER,
                        MonitorOptions.ALERTS_FEED_LAG,
                        MonitorOptions.ALERTS_MIN_INTERVAL)) {
            if (config.get(option).isNegative()) {
                throw new InvalidOptionException(option.key(), "must not be negative");
            }
        }
        if (config.get(MonitorOptions.ALERTS_DEAD_LETTERS_PER_MINUTE) < 1) {
            throw new InvalidOptionException(
                    MonitorOptions.ALERTS_DEAD_LETTERS_PER_MINUTE.key(), "must be positive");
        }
        return new MonitorSettings(
                threshold,
                config.get(MonitorOptions.REPREDICTION_COOLDOWN),
                accuracy,
                minPoints,
                skill,
                config.get(MonitorOptions.RETRAIN_AFTER),
                lowConfidence,
                config.get(MonitorOptions.ALERTS_FEED_LAG));
    }

    static ConfidenceWeights weights(BarcastConfig config) {
        try {
            return ConfidenceWeights.parse(config.get(ForecastOptions.CONFIDENCE_WEIGHTS));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    ForecastOptions.CONFIDENCE_WEIGHTS.key(), e.getMessage());
        }
    }

    private static ConfidenceDecay decay(BarcastConfig config) {
        return new ConfidenceDecay(
                atLeastZero(config, ForecastOptions.CONFIDENCE_MODEL_AGE_GRACE),
                positive(config, ForecastOptions.CONFIDENCE_MODEL_AGE_HALF_LIFE),
                atLeastZero(config, ForecastOptions.CONFIDENCE_FEED_DELAY_GRACE),
                positive(config, ForecastOptions.CONFIDENCE_FEED_DELAY_HALF_LIFE));
    }

    private static Duration atLeastZero(BarcastConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative()) {
            throw new InvalidOptionException(option.key(), "must not be negative, got " + value);
        }
        return value;
    }

    private static Duration positive(BarcastConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidOptionException(option.key(), "must be positive, got " + value);
        }
        return value;
    }

    /** The comma-separated entries of a list option, blanks left out. */
    private static List<String> entries(String text) {
        return java.util.Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .toList();
    }

    private static String[] pair(ConfigOption<?> option, String entry, String form) {
        String trimmed = entry.trim();
        int equals = trimmed.indexOf('=');
        if (equals <= 0 || equals == trimmed.length() - 1) {
            throw new InvalidOptionException(
                    option.key(), "'" + trimmed + "' is not of the form " + form);
        }
        return new String[] {
            trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim()
        };
    }

    private static LocalDate date(ConfigOption<?> option, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidOptionException(
                    option.key(), "'" + text.trim() + "' is not an ISO date (YYYY-MM-DD)");
        }
    }
}
