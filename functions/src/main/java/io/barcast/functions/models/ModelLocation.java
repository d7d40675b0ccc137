package io.barcast.functions.models;

import io.barcast.core.calendar.MarketCalendar;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a job's models live, and how its {@link ModelRegistry} treats them.
 *
 * <p>{@code folder} is one of:
 *
 * <ul>
 *   <li>a root of model folders: {@code <root>/default/} serves every symbol that has no folder of
 *       its own, {@code <root>/<SYMBOL>/} serves that symbol; a symbol with a colon may name its
 *       folder with an underscore instead ({@code X_BTCUSD} for {@code X:BTCUSD});
 *   <li>a single model folder (it holds {@code model.json} itself): that model serves every symbol;
 *   <li>{@code null}, or a path where no folder exists: the default model bundled on the classpath
 *       at {@value #BUNDLED}, which never reloads.
 * </ul>
 *
 * @param retireGrace how long a replaced model stays available for leases of its version, so
 *     requests queued for it still run
 * @param calendarOf the calendar name ({@link MarketCalendar#name()}) of a symbol; a symbol's own
 *     folder must declare it in {@code model.json calendars}
 */
public record ModelLocation(String folder, Duration retireGrace, CalendarOf calendarOf)
        implements Serializable {

    /** The classpath folder of the bundled default model. */
    public static final String BUNDLED = "models/default";

    public static final Duration DEFAULT_RETIRE_GRACE = Duration.ofSeconds(60);

    /** The calendar name of a symbol; serializable, as the location travels with the job. */
    @FunctionalInterface
    public interface CalendarOf extends Serializable {
        String calendarOf(String symbol);
    }

    public ModelLocation {
        Objects.requireNonNull(retireGrace, "retireGrace");
        Objects.requireNonNull(calendarOf, "calendarOf");
        if (retireGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "retireGrace must not be negative, got " + retireGrace);
        }
    }

    /** Models under {@code folder}, with the default grace and the symbols' market calendars. */
    public static ModelLocation at(String folder) {
        return new ModelLocation(folder, DEFAULT_RETIRE_GRACE, ModelLocation::marketCalendarOf);
    }

    /** The default model bundled on the classpath only. */
    public static ModelLocation bundled() {
        return at(null);
    }

    public ModelLocation withRetireGrace(Duration grace) {
        return new ModelLocation(folder, grace, calendarOf);
    }

    public ModelLocation withCalendarOf(CalendarOf calendars) {
        return new ModelLocation(folder, retireGrace, calendars);
    }

    /**
     * Which models this location means, for sharing one registry per JVM: the absolute folder, or
     * {@code classpath:models/default}. Grace and calendars do not count: the first user's apply.
     */
    String key() {
        return folder == null
                ? "classpath:" + BUNDLED
                : Path.of(folder).toAbsolutePath().normalize().toString();
    }

    private static String marketCalendarOf(String symbol) {
        return MarketCalendar.forSymbol(symbol).name();
    }
}
