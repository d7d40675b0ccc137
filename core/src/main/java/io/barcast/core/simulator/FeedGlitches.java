package io.barcast.core.simulator;

import io.barcast.core.Bar;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The occasional broken print a real feed delivers, for the simulator: at the given rate, a bar is
 * replaced by a damaged copy (high below the close, a negative volume, a zero price, or a time off
 * the bar grid) that the job must reject to its dead letters. Deterministic by seed, symbol and bar
 * time, like the simulated market itself.
 */
public final class FeedGlitches implements Serializable {

    private final long seed;
    private final double rate;

    public FeedGlitches(long seed, double rate) {
        if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("glitch rate must be in [0, 1], got " + rate);
        }
        this.seed = seed;
        this.rate = rate;
    }

    /** The bar as the feed delivers it: usually itself, at {@code rate} a damaged copy. */
    public Bar deliver(Bar bar) {
        if (rate == 0) {
            return bar;
        }
        SplittableRandom random =
                new SplittableRandom(
                        seed * 0x9E3779B97F4A7C15L ^ bar.symbol().hashCode() * 31L ^ bar.time());
        if (random.nextDouble() >= rate) {
            return bar;
        }
        return switch (random.nextInt(4)) {
            case 0 ->
                    new Bar(
                            bar.symbol(),
                            bar.time(),
                            bar.open(),
                            Math.min(bar.open(), bar.close()) * 0.99,
                            bar.low(),
                            bar.close(),
                            bar.volume(),
                            bar.vwap(),
                            bar.trades());
            case 1 ->
                    new Bar(
                            bar.symbol(),
                            bar.time(),
                            bar.open(),
                            bar.high(),
                            bar.low(),
                            bar.close(),
                            -bar.volume() - 1,
                            bar.vwap(),
                            bar.trades());
            case 2 ->
                    new Bar(
                            bar.symbol(),
                            bar.time(),
                            0,
                            bar.high(),
                            bar.low(),
                            bar.close(),
                            bar.volume(),
                            bar.vwap(),
                            bar.trades());
            default -> bar.withTime(bar.time() + 60_000);
        };
    }
}
