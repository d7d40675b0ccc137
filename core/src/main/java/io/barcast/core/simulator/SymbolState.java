package io.barcast.core.simulator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * Where one simulated symbol stands between two bars: everything {@link MarketSimulator#next} needs
 * to produce the next bar, so a restored state continues exactly as the original would.
 *
 * @param symbol the symbol
 * @param nextBarTime start (epoch ms) of the next bar to simulate, a bar start on the symbol's
 *     calendar
 * @param barIndex how many bars of this symbol came before the next one; with the seed and the
 *     symbol it picks the next bar's random numbers
 * @param lastClose close of the previous bar (the starting price before the first bar)
 * @param regime volatility regime: 0 calm, 1 normal, 2 turbulent
 * @param volatility volatility clustering, as a multiple of the regime's volatility (1 = neutral)
 * @param drift the slowly wandering expected log return per bar (the faint trend a model may find)
 * @param lastShock the previous bar's unexpected log return, which leaks a little into the next
 */
public record SymbolState(
        String symbol,
        long nextBarTime,
        long barIndex,
        double lastClose,
        int regime,
        double volatility,
        double drift,
        double lastShock)
        implements Serializable {

    private static final int FORMAT_VERSION = 1;

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeUTF(symbol);
        out.writeLong(nextBarTime);
        out.writeLong(barIndex);
        out.writeDouble(lastClose);
        out.writeInt(regime);
        out.writeDouble(volatility);
        out.writeDouble(drift);
        out.writeDouble(lastShock);
    }

    public static SymbolState readFrom(DataInput in) throws IOException {
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException(
                    "simulator state format " + version + ", expected " + FORMAT_VERSION);
        }
        return new SymbolState(
                in.readUTF(),
                in.readLong(),
                in.readLong(),
                in.readDouble(),
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble());
    }
}
