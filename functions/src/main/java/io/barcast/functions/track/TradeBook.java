package io.barcast.functions.track;

import io.barcast.core.Bar;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.TradeOutcome;
import io.barcast.core.confidence.BarWindow;
import io.barcast.core.recommend.TradeFinder;
import io.barcast.core.recommend.TradeIdea;
import io.barcast.core.recommend.TradeSide;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;

/**
 * A symbol's trades: recommended from each forecast ({@link TradeFinder}), active until a newer
 * forecast supersedes them or the symbol's state expires, and followed bar by bar to their outcome.
 * Trades go to {@link PredictionTracker#RECOMMENDATIONS}, outcomes to {@link
 * PredictionTracker#OUTCOMES}.
 *
 * <p>State: the list {@code open-trades}. The active trades are the newest forecast's and live in
 * the tracker's {@link RecentForecasts}, handed in and stored by the tracker. No timers.
 */
final class TradeBook {

    private final double minConfidence;
    private final double minProfitPercent;
    private final ListState<OpenTrade> openTrades;
    private final Counter recommendationsOut;
    private final Counter tradesSettled;

    TradeBook(TrackerSettings settings, RuntimeContext context) {
        this.minConfidence = settings.minConfidence();
        this.minProfitPercent = settings.minProfitPercent();
        this.openTrades = context.getListState(openTradesDescriptor());
        this.recommendationsOut = context.getMetricGroup().counter("recommendationsOut");
        this.tradesSettled = context.getMetricGroup().counter("tradeOutcomes");
    }

    static ListStateDescriptor<OpenTrade> openTradesDescriptor() {
        return new ListStateDescriptor<>("open-trades", OpenTrade.class);
    }

    /**
     * Publishes a forecast's trades. The newest forecast's trades are the active ones and supersede
     * the trades of the one before, except the same trades again (a revision forecasts under the
     * same id, so its trades keep theirs). A result that was overtaken by a newer forecast
     * publishes its trades as superseded by that one, so the end state does not depend on the order
     * results arrived in.
     *
     * @param volatility the recent volatility per bar, for the trades' stops
     * @param recentForecasts whose active trades this updates (the caller stores it)
     * @param bars the recent bars, for new trades whose entry bar already came
     */
    void publish(
            Prediction prediction,
            long sequence,
            double volatility,
            RecentForecasts recentForecasts,
            BarRing bars,
            Emitter out)
            throws Exception {
        List<Recommendation> trades = recommend(prediction, volatility);
        if (!recentForecasts.isNewerThanActive(prediction.asOf(), sequence)) {
            for (Recommendation trade : trades) {
                out.emit(
                        PredictionTracker.RECOMMENDATIONS,
                        trade.supersededBy(recentForecasts.activeFor));
            }
            return;
        }
        for (Recommendation old : recentForecasts.active) {
            boolean again = trades.stream().anyMatch(t -> t.id().equals(old.id()));
            if (!again) {
                out.emit(PredictionTracker.RECOMMENDATIONS, old.supersededBy(prediction.id()));
            }
        }
        for (Recommendation trade : trades) {
            recommendationsOut.inc();
            out.emit(PredictionTracker.RECOMMENDATIONS, trade);
            open(trade, bars, out);
        }
        recentForecasts.activeFor = prediction.id();
        recentForecasts.activeAsOf = prediction.asOf();
        recentForecasts.activeSequence = sequence;
        recentForecasts.active = trades.toArray(new Recommendation[0]);
    }

    /** Follows the open trades through a new bar and publishes those it ends. */
    void follow(Bar bar, Emitter out) throws Exception {
        List<OpenTrade> still = new ArrayList<>();
        boolean changed = false;
        for (OpenTrade trade : openTrades.get()) {
            changed = true;
            TradeOutcome outcome =
                    trade.observe(bar.time(), bar.open(), bar.high(), bar.low(), bar.close());
            if (outcome == null) {
                still.add(trade);
            } else {
                tradesSettled.inc();
                out.emit(PredictionTracker.OUTCOMES, outcome);
            }
        }
        if (changed) {
            openTrades.update(still);
        }
    }

    /** Publishes the active trades as expired: nobody will supersede them now. */
    static void expire(RecentForecasts recentForecasts, Emitter out) {
        for (Recommendation trade : recentForecasts.active) {
            out.emit(PredictionTracker.RECOMMENDATIONS, trade.expired());
        }
    }

    void clear() {
        openTrades.clear();
    }

    private List<Recommendation> recommend(Prediction p, double volatility) {
        List<Recommendation> trades = new ArrayList<>(2);
        if (p.confidence() < minConfidence) {
            return trades;
        }
        for (TradeSide side : TradeSide.values()) {
            Optional<TradeIdea> idea =
                    TradeFinder.best(
                            side,
                            p.asOf(),
                            p.lastClose(),
                            p.times(),
                            p.prices(),
                            p.lower(),
                            p.upper(),
                            volatility);
            if (idea.isEmpty() || idea.get().expectedReturnPercent() < minProfitPercent) {
                continue;
            }
            TradeIdea trade = idea.get();
            trades.add(
                    new Recommendation(
                            Recommendation.idOf(p.id(), side.label()),
                            p.id(),
                            p.symbol(),
                            p.asOf(),
                            side.label(),
                            trade.entryTime(),
                            trade.entryPrice(),
                            trade.exitTime(),
                            trade.targetPrice(),
                            trade.stopLoss(),
                            trade.expectedReturnPercent(),
                            trade.riskReward(),
                            p.confidence(),
                            p.modelVersion(),
                            Recommendation.ACTIVE,
                            null,
                            p.predictedAt()));
        }
        return trades;
    }

    /**
     * Starts following a new trade; bars that came before the forecast (it trailed them through the
     * async inference) are caught up from the ring.
     */
    private void open(Recommendation trade, BarRing bars, Emitter out) throws Exception {
        for (OpenTrade followed : openTrades.get()) {
            if (followed.recommendationId.equals(trade.id())) {
                return; // the same trade again (a revised bar's forecast)
            }
        }
        OpenTrade open = OpenTrade.of(trade);
        BarWindow since = bars.window(bars.newestTime(), bars.count);
        for (int i = 0; since != null && i < since.times().length; i++) {
            if (since.times()[i] < trade.entryTime()) {
                continue;
            }
            TradeOutcome outcome =
                    open.observe(
                            since.times()[i],
                            since.open()[i],
                            since.high()[i],
                            since.low()[i],
                            since.close()[i]);
            if (outcome != null) {
                tradesSettled.inc();
                out.emit(PredictionTracker.OUTCOMES, outcome);
                return;
            }
        }
        openTrades.add(open);
    }
}
