package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.BAR;
import static io.barcast.functions.track.TrackFixtures.CRYPTO_START;
import static io.barcast.functions.track.TrackFixtures.forecast;
import static io.barcast.functions.track.TrackFixtures.result;
import static io.barcast.functions.track.TrackFixtures.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.barcast.core.Bar;
import io.barcast.core.Prediction;
import io.barcast.core.Recommendation;
import io.barcast.core.TradeOutcome;
import io.barcast.functions.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TradeBookTest {

    private static final String SYMBOL = "X:ABC";

    private final List<Bar> bars = TestModels.bars(SYMBOL, CRYPTO_START, 3);
    private final RecentForecasts recentForecasts = new RecentForecasts();
    private PartHarness<TradeBook> harness;

    private void open(double minConfidence) throws Exception {
        TrackerSettings settings =
                TrackFixtures.settings(30, 1.0, minConfidence, MonitorSettings.defaults());
        harness = new PartHarness<>(context -> new TradeBook(settings, context));
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** Forecasts 5% up a bar ahead as of bar {@code index}, and publishes its trades. */
    private Prediction publish(int index, long sequence) throws Exception {
        BarRing ring = ring(bars.subList(0, index + 1));
        Bar bar = bars.get(index);
        ForecastAssembler.Assembled assembled =
                forecast(
                        TrackFixtures.settings(30, 1.0, 0, MonitorSettings.defaults()),
                        result(SYMBOL, bar.time(), sequence, bar.close(), 0.05f, 0.01f),
                        ring);
        harness.run(
                SYMBOL,
                (trades, out, timers) ->
                        trades.publish(
                                assembled.prediction(),
                                sequence,
                                assembled.volatility(),
                                recentForecasts,
                                ring,
                                out));
        return assembled.prediction();
    }

    private List<Recommendation> recommendations() {
        return harness.side(PredictionTracker.RECOMMENDATIONS);
    }

    private List<OpenTrade> openTrades() throws Exception {
        List<OpenTrade> trades = new ArrayList<>();
        Iterable<OpenTrade> stored = harness.state(SYMBOL, TradeBook.openTradesDescriptor()).get();
        if (stored != null) {
            stored.forEach(trades::add);
        }
        return trades;
    }

    @Test
    void theNewestForecastsTradesSupersedeTheOlderAndAnOvertakenOneIsBornSuperseded()
            throws Exception {
        open(0);
        Prediction first = publish(0, 0);
        List<Recommendation> firstTrades = List.copyOf(recommendations());
        assertThat(firstTrades)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(Recommendation.ACTIVE))
                .allSatisfy(t -> assertThat(t.predictionId()).isEqualTo(first.id()));

        Prediction second = publish(1, 1);
        List<Recommendation> afterSecond =
                recommendations().subList(firstTrades.size(), recommendations().size());
        List<Recommendation> secondTrades =
                afterSecond.subList(firstTrades.size(), afterSecond.size());
        assertThat(afterSecond.subList(0, firstTrades.size()))
                .containsExactlyElementsOf(
                        firstTrades.stream().map(t -> t.supersededBy(second.id())).toList());
        assertThat(secondTrades)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(Recommendation.ACTIVE));
        assertThat(recentForecasts.activeFor).isEqualTo(second.id());
        assertThat(recentForecasts.active).containsExactlyElementsOf(secondTrades);

        // a forecast of the first bar that finished after the second's
        int before = recommendations().size();
        publish(0, 2);
        assertThat(recommendations().subList(before, recommendations().size()))
                .isNotEmpty()
                .allSatisfy(
                        t -> {
                            assertThat(t.status()).isEqualTo(Recommendation.SUPERSEDED);
                            assertThat(t.supersededBy()).isEqualTo(second.id());
                        });
        assertThat(recentForecasts.activeFor).isEqualTo(second.id());
    }

    @Test
    void aRevisionsSameTradesStayActiveAndAreFollowedOnce() throws Exception {
        open(0);
        publish(0, 0);
        int trades = recommendations().size();
        publish(0, 1);

        assertThat(recommendations())
                .hasSize(2 * trades)
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(Recommendation.ACTIVE));
        assertThat(openTrades()).hasSize(trades);
    }

    @Test
    void followsEachTradeToItsOutcomeThenLetsItGo() throws Exception {
        open(0);
        publish(0, 0);
        List<String> recommended = recommendations().stream().map(Recommendation::id).toList();
        assertThat(openTrades()).hasSize(recommended.size());

        // bars that swing far both ways: a trade enters on one, the next ends it
        double close = bars.get(0).close();
        for (int i = 1; i < 800 && !openTrades().isEmpty(); i++) {
            Bar wide =
                    Bar.of(SYMBOL, CRYPTO_START + i * BAR, close, 2 * close, close / 2, close, 1);
            harness.run(SYMBOL, (book, out, timers) -> book.follow(wide, out));
        }

        List<TradeOutcome> outcomes = harness.side(PredictionTracker.OUTCOMES);
        assertThat(outcomes)
                .extracting(TradeOutcome::recommendationId)
                .containsExactlyInAnyOrderElementsOf(recommended);
        // the long entered at the close and its stop went first; the short's entry price was
        // already past its target, so it never entered
        assertThat(outcomes)
                .extracting(TradeOutcome::side, TradeOutcome::outcome)
                .containsExactlyInAnyOrder(
                        tuple("long", TradeOutcome.STOP_HIT), tuple("short", TradeOutcome.MISSED));
        assertThat(harness.stateEntries()).isZero();
    }

    @Test
    void theActiveTradesExpireAndClearForgetsTheOpenOnes() throws Exception {
        open(0);
        publish(0, 0);
        List<Recommendation> active = List.copyOf(Arrays.asList(recentForecasts.active));
        assertThat(active).isNotEmpty();

        harness.run(
                SYMBOL,
                (trades, out, timers) -> {
                    TradeBook.expire(recentForecasts, out);
                    trades.clear();
                });

        assertThat(recommendations().subList(active.size(), recommendations().size()))
                .containsExactlyElementsOf(active.stream().map(Recommendation::expired).toList());
        assertThat(harness.stateEntries()).isZero();
    }

    @Test
    void aForecastBelowTheConfidenceFloorRecommendsNothing() throws Exception {
        open(1.0);
        publish(0, 0);
        assertThat(recommendations()).isEmpty();
        assertThat(openTrades()).isEmpty();
    }
}
