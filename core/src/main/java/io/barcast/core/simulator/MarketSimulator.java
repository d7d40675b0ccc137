package io.barcast.core.simulator;

import io.barcast.core.Bar;
import io.barcast.core.calendar.MarketCalendar;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates 15-minute OHLCV bars, deterministic by seed: stock-like symbols on the XNYS session
 * with an overnight gap at the open and a U-shaped intraday volume profile, crypto pairs ({@code
 * X:...}) around the clock with a milder daily cycle and quieter weekends.
 *
 * <p>Each bar's log return is a slowly wandering drift, plus a little of the previous bar's shock,
 * plus noise whose size switches between calm, normal and turbulent regimes (a Markov chain) and
 * clusters (GARCH-like). Open, high, low and close come from fifteen one-minute sub-steps, so high
 * and low bracket open and close. Prices are rounded to a tick (cents for stocks, six significant
 * digits for crypto).
 *
 * <p>A bar's random numbers are a pure function of (seed, symbol, bar index), so a {@link
 * SymbolState} written and read back continues exactly as the original; all maths is {@link
 * StrictMath}, so every JVM produces the same bars.
 */
public final class MarketSimulator implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int SUB_STEPS = 15;
    private static final double[] REGIME_VOLATILITY = {0.65, 1.0, 1.9};
    private static final double[] REGIME_VOLUME = {0.8, 1.0, 1.6};

    /** Mean length of each regime in trading days; a regime then moves to one of the other two. */
    private static final double[] REGIME_DAYS = {8, 12, 3};

    /** Where a regime goes when it ends: {to calm, to normal, to turbulent}. */
    private static final double[][] REGIME_EXIT = {{0, 0.8, 0.2}, {0.6, 0, 0.4}, {0.15, 0.85, 0}};

    private static final double GARCH_ALPHA = 0.06;
    private static final double GARCH_BETA = 0.92;

    /**
     * How far the drift carries over its memory of about a trading day, as a share of the noise
     * over that day: faint, and only partly visible in a window of recent bars.
     */
    private static final double DRIFT_SHARE = 0.3;

    private static final double JUMP_PROBABILITY = 0.003;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final int SESSION_OPEN_MINUTE = 9 * 60 + 30;
    private static final int SESSION_MINUTES = 390;

    /** Share of a stock's daily variance that arrives overnight, as the opening gap. */
    private static final double OVERNIGHT_VARIANCE = 0.2;

    private static final long PROFILE_STREAM = -1;

    private final long seed;

    public MarketSimulator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /**
     * {@code count} distinct symbol names, always the same: every fourth a crypto pair ({@code
     * X:C01USD}, {@code X:C02USD}, ...), the others fictional tickers ({@code SIMA}, {@code SIMB},
     * ..., {@code SIMZ}, {@code SIMAA}, ...).
     */
    public static List<String> symbols(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("symbol count must not be negative: " + count);
        }
        List<String> symbols = new ArrayList<>(count);
        int stocks = 0;
        int cryptos = 0;
        for (int i = 0; i < count; i++) {
            if (i % 4 == 3) {
                symbols.add(String.format("X:C%02dUSD", ++cryptos));
            } else {
                symbols.add("SIM" + letters(stocks++));
            }
        }
        return symbols;
    }

    private static String letters(int index) {
        StringBuilder name = new StringBuilder();
        int n = index;
        do {
            name.insert(0, (char) ('A' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return name.toString();
    }

    /**
     * The state before the symbol's first bar: the first bar start at or after {@code startTimeMs}
     * on its calendar, and a starting price that depends on the seed and symbol only.
     */
    public SymbolState start(String symbol, long startTimeMs) {
        Profile profile = profile(symbol);
        long first =
                MarketCalendar.forSymbol(symbol).firstBarStartAtOrAfter(startTimeMs, Bar.INTERVAL);
        return new SymbolState(
                symbol, first, 0, profile.startPrice, 1, 1.0, profile.initialDrift, 0.0);
    }

    /** The bar at {@code state.nextBarTime()} and the state after it. */
    public Step next(SymbolState state) {
        String symbol = state.symbol();
        Profile profile = profile(symbol);
        MarketCalendar calendar = MarketCalendar.forSymbol(symbol);
        long time = state.nextBarTime();
        SplittableRandom random = random(symbol, state.barIndex());

        int regime = nextRegime(state.regime(), profile.barsPerDay, random.nextDouble());
        double drift =
                profile.driftPersistence * state.drift()
                        + profile.driftInnovation * gaussian(random);
        double sigma =
                profile.barSigma
                        * REGIME_VOLATILITY[regime]
                        * state.volatility()
                        * volatilityProfile(profile.crypto, time);

        double open = state.lastClose();
        boolean sessionOpen = !calendar.isBarStart(time - Bar.INTERVAL.toMillis(), Bar.INTERVAL);
        // Drawn for every bar, so that a bar's random numbers never depend on what came before.
        double gapDraw = gaussian(random);
        if (sessionOpen && !profile.crypto) {
            double gapSigma = profile.overnightSigma * REGIME_VOLATILITY[regime];
            open = profile.round(open * StrictMath.exp(gapSigma * gapDraw));
        }

        // Fifteen one-minute steps carry the expected return, the echo of the last shock and the
        // noise; a rare jump lands in one of them.
        double expected = (drift + profile.echo * state.lastShock()) / SUB_STEPS;
        double subSigma = sigma / StrictMath.sqrt(SUB_STEPS);
        boolean jump = random.nextDouble() < JUMP_PROBABILITY;
        int jumpStep = random.nextInt(SUB_STEPS);
        double jumpSize = 3 * sigma * gaussian(random);
        double logPrice = 0;
        double shock = 0;
        double high = open;
        double low = open;
        double weighted = 0;
        double weights = 0;
        for (int step = 0; step < SUB_STEPS; step++) {
            double noise = subSigma * gaussian(random) + (jump && step == jumpStep ? jumpSize : 0);
            shock += noise;
            logPrice += expected + noise;
            double price = open * StrictMath.exp(logPrice);
            high = Math.max(high, price);
            low = Math.min(low, price);
            double weight = StrictMath.exp(0.5 * gaussian(random));
            weighted += weight * price;
            weights += weight;
        }
        double close = profile.round(open * StrictMath.exp(logPrice));
        high = Math.max(profile.round(high), Math.max(open, close));
        low = Math.min(profile.round(low), Math.min(open, close));
        double vwap = Math.min(high, Math.max(low, profile.round(weighted / weights)));

        double z = sigma > 0 ? shock / sigma : 0;
        double volumeNoise = StrictMath.exp(0.3 * gaussian(random) - 0.045);
        double units =
                profile.baseVolume
                        * volumeProfile(profile.crypto, time)
                        * REGIME_VOLUME[regime]
                        * (0.7 + 0.3 * Math.abs(z))
                        * volumeNoise
                        * (profile.crypto ? 1 / close : 1);
        double volume =
                profile.crypto
                        ? Math.max(0.0001, Math.round(units * 1e4) / 1e4)
                        : Math.max(100, Math.round(units));
        double tradeSize = profile.tradeSize * StrictMath.exp(0.2 * gaussian(random));
        long trades = Math.max(1, Math.round(volume / tradeSize));

        double variance =
                (1 - GARCH_ALPHA - GARCH_BETA)
                        + GARCH_ALPHA * Math.min(z * z, 16)
                        + GARCH_BETA * state.volatility() * state.volatility();
        Bar bar = new Bar(symbol, time, open, high, low, close, volume, vwap, trades);
        SymbolState after =
                new SymbolState(
                        symbol,
                        calendar.nextBarStart(time, Bar.INTERVAL),
                        state.barIndex() + 1,
                        close,
                        regime,
                        StrictMath.sqrt(variance),
                        drift,
                        shock);
        return new Step(bar, after);
    }

    /** One simulated bar and the state after it. */
    public record Step(Bar bar, SymbolState next) {}

    private static int nextRegime(int regime, double barsPerDay, double draw) {
        double leave = 1 / (REGIME_DAYS[regime] * barsPerDay);
        if (draw >= leave) {
            return regime;
        }
        double where = draw / leave;
        double[] exits = REGIME_EXIT[regime];
        double cumulative = 0;
        for (int to = 0; to < exits.length; to++) {
            cumulative += exits[to];
            if (exits[to] > 0 && where < cumulative) {
                return to;
            }
        }
        return regime == 1 ? 0 : 1;
    }

    /** Stocks are most volatile at the open and a little more again into the close. */
    private static double volatilityProfile(boolean crypto, long time) {
        if (crypto) {
            return 1 + 0.15 * StrictMath.cos(2 * Math.PI * (utcHour(time) - 15) / 24);
        }
        double x = sessionFraction(time);
        return 0.8 + 0.9 * StrictMath.exp(-x / 0.06) + 0.35 * StrictMath.exp(-(1 - x) / 0.06);
    }

    /** Stocks trade most at the open and the close (the U); crypto follows the sun, weekdays. */
    private static double volumeProfile(boolean crypto, long time) {
        if (crypto) {
            DayOfWeek day = Instant.ofEpochMilli(time).atOffset(ZoneOffset.UTC).getDayOfWeek();
            double weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 0.75 : 1;
            return weekend * (1 + 0.35 * StrictMath.cos(2 * Math.PI * (utcHour(time) - 15) / 24));
        }
        double x = sessionFraction(time);
        return 0.7 + 2.2 * StrictMath.exp(-x / 0.07) + 1.6 * StrictMath.exp(-(1 - x) / 0.05);
    }

    private static double utcHour(long time) {
        return Math.floorMod(time, 86_400_000L) / 3_600_000.0;
    }

    /** Where the bar's middle lies in the XNYS session, from 0 (open) to 1 (close). */
    private static double sessionFraction(long time) {
        ZonedDateTime local = Instant.ofEpochMilli(time).atZone(NEW_YORK);
        int minute = local.getHour() * 60 + local.getMinute() - SESSION_OPEN_MINUTE;
        return Math.min(1, Math.max(0, (minute + 7.5) / SESSION_MINUTES));
    }

    private Profile profile(String symbol) {
        return new Profile(symbol, random(symbol, PROFILE_STREAM));
    }

    private SplittableRandom random(String symbol, long stream) {
        long symbolHash = 0xcbf29ce484222325L;
        for (int i = 0; i < symbol.length(); i++) {
            symbolHash = (symbolHash ^ symbol.charAt(i)) * 0x100000001b3L;
        }
        return new SplittableRandom(mix64(mix64(mix64(seed) + symbolHash) + stream));
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    private static long mix64(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Box-Muller, written out so the numbers never depend on the JDK's Gaussian algorithm. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static double logUniform(SplittableRandom random, double low, double high) {
        return StrictMath.exp(
                StrictMath.log(low) + random.nextDouble() * StrictMath.log(high / low));
    }

    /** A symbol's fixed character, drawn from (seed, symbol). */
    private static final class Profile {
        final boolean crypto;
        final double barsPerDay;
        final double barSigma;
        final double overnightSigma;
        final double echo;
        final double driftPersistence;
        final double driftInnovation;
        final double initialDrift;
        final double startPrice;
        final double baseVolume;
        final double tradeSize;

        Profile(String symbol, SplittableRandom random) {
            crypto = symbol.startsWith("X:");
            double annualVolatility =
                    crypto ? 0.45 + 0.45 * random.nextDouble() : 0.18 + 0.32 * random.nextDouble();
            if (crypto) {
                barsPerDay = 96;
                barSigma = annualVolatility / StrictMath.sqrt(365 * barsPerDay);
                overnightSigma = 0;
            } else {
                barsPerDay = 26;
                double daily = annualVolatility / StrictMath.sqrt(252);
                barSigma = daily * StrictMath.sqrt((1 - OVERNIGHT_VARIANCE) / barsPerDay);
                overnightSigma = daily * StrictMath.sqrt(OVERNIGHT_VARIANCE);
            }
            echo = 0.05 + 0.1 * random.nextDouble();
            // The drift forgets over about a trading day of bars.
            driftPersistence = 1 - 1 / barsPerDay;
            double driftSigma = DRIFT_SHARE * barSigma / StrictMath.sqrt(barsPerDay);
            driftInnovation = driftSigma * StrictMath.sqrt(1 - driftPersistence * driftPersistence);
            initialDrift = driftSigma * gaussian(random);
            double price = crypto ? logUniform(random, 0.5, 40_000) : logUniform(random, 8, 400);
            baseVolume = crypto ? logUniform(random, 2e5, 2e7) : logUniform(random, 5_000, 500_000);
            tradeSize = crypto ? 900 / price : logUniform(random, 60, 250);
            startPrice = round(price);
        }

        /** To the tick: cents for stocks (1/100 cent under a dollar), six digits for crypto. */
        double round(double price) {
            int decimals;
            if (crypto) {
                decimals =
                        Math.min(
                                8,
                                Math.max(0, 5 - (int) StrictMath.floor(StrictMath.log10(price))));
            } else {
                decimals = price < 1 ? 4 : 2;
            }
            double scale = StrictMath.pow(10, decimals);
            return Math.max(1 / scale, Math.round(price * scale) / scale);
        }
    }
}
