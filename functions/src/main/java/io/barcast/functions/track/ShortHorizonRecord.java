package io.barcast.functions.track;

import io.barcast.core.confidence.TrackRecord;

/**
 * How a symbol's forecasts fared at horizons up to a day: the errors of the latest validated
 * points, the model's and the naive "no change" forecast's, in cumulative log return.
 */
public class ShortHorizonRecord {

    public double[] modelError;
    public double[] naiveError;

    /** 1 when the predicted direction was right, 0 when wrong, -1 when the price did not move. */
    public byte[] direction;

    /** Time of the bar that settled each point. */
    public long[] times;

    public int head = -1;
    public int count;

    public ShortHorizonRecord() {}

    public static ShortHorizonRecord create(int capacity) {
        ShortHorizonRecord record = new ShortHorizonRecord();
        record.modelError = new double[capacity];
        record.naiveError = new double[capacity];
        record.direction = new byte[capacity];
        record.times = new long[capacity];
        return record;
    }

    /**
     * Records a point predicted at {@code predicted} from {@code base} that closed at {@code
     * actual} in the bar starting at {@code barTime}.
     */
    public void add(long barTime, double base, double predicted, double actual) {
        head = (head + 1) % modelError.length;
        times[head] = barTime;
        double actualMove = Math.log(actual / base);
        double predictedMove = Math.log(predicted / base);
        modelError[head] = Math.abs(actualMove - predictedMove);
        naiveError[head] = Math.abs(actualMove);
        direction[head] =
                actualMove == 0
                        ? (byte) -1
                        : (byte) (Math.signum(actualMove) == Math.signum(predictedMove) ? 1 : 0);
        count = Math.min(count + 1, modelError.length);
    }

    /** The record of the newest {@code limit} points settled by bars up to {@code upTo}. */
    public TrackRecord upTo(long upTo, int limit) {
        double model = 0;
        double naive = 0;
        int points = 0;
        int moved = 0;
        int right = 0;
        for (int i = 0; i < count && points < limit; i++) {
            int at = Math.floorMod(head - i, modelError.length);
            if (times[at] > upTo) {
                continue;
            }
            points++;
            model += modelError[at];
            naive += naiveError[at];
            if (direction[at] >= 0) {
                moved++;
                right += direction[at];
            }
        }
        if (points == 0) {
            return TrackRecord.NONE;
        }
        return new TrackRecord(
                points, model / points, naive / points, moved == 0 ? 0.5 : (double) right / moved);
    }
}
