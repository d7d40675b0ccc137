package io.barcast.functions.track;

import static io.barcast.functions.track.TrackFixtures.BAR;
import static io.barcast.functions.track.TrackFixtures.CRYPTO_START;
import static io.barcast.functions.track.TrackFixtures.TTL;
import static io.barcast.functions.track.TrackFixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.core.InferenceResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaitingResultsTest {

    private PartHarness<WaitingResults> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new PartHarness<>(context -> new WaitingResults(context, TTL));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void hold(InferenceResult result) throws Exception {
        harness.run(result.symbol(), (waiting, out, timers) -> waiting.hold(result, timers));
    }

    private List<Long> release(String symbol, long newestBar) throws Exception {
        List<Long> released = new ArrayList<>();
        harness.run(
                symbol,
                (waiting, out, timers) ->
                        waiting.release(newestBar).forEach(r -> released.add(r.asOf())));
        return released;
    }

    @Test
    void releasesTheResultsWhoseBarCameOldestFirstAndKeepsTheOthers() throws Exception {
        hold(result("X:ABC", CRYPTO_START + 2 * BAR, 2, 100, 0f, 0f));
        hold(result("X:ABC", CRYPTO_START, 0, 100, 0f, 0f));
        hold(result("X:ABC", CRYPTO_START + 3 * BAR, 3, 100, 0f, 0f));

        assertThat(release("X:ABC", CRYPTO_START + 2 * BAR))
                .containsExactly(CRYPTO_START, CRYPTO_START + 2 * BAR);
        assertThat(release("X:ABC", CRYPTO_START + 2 * BAR)).isEmpty();
        assertThat(release("X:ABC", CRYPTO_START + 5 * BAR))
                .containsExactly(CRYPTO_START + 3 * BAR);
        assertThat(harness.stateEntries()).isZero();
    }

    @Test
    void eachSymbolWaitsForItsOwnBar() throws Exception {
        hold(result("X:ABC", CRYPTO_START, 0, 100, 0f, 0f));
        hold(result("X:DEF", CRYPTO_START, 0, 100, 0f, 0f));

        assertThat(release("X:ABC", CRYPTO_START)).containsExactly(CRYPTO_START);
        assertThat(harness.state("X:DEF", WaitingResults.waitingDescriptor()).get())
                .extracting(InferenceResult::symbol)
                .containsExactly("X:DEF");
    }

    @Test
    void aHeldResultKeepsATimerTheTtlAfterItsBarAndClearForgetsIt() throws Exception {
        hold(result("X:ABC", CRYPTO_START, 0, 100, 0f, 0f));
        hold(result("X:ABC", CRYPTO_START, 1, 100, 0f, 0f));
        assertThat(harness.timers()).isEqualTo(1);

        harness.run("X:ABC", (waiting, out, timers) -> waiting.clear());
        assertThat(harness.stateEntries()).isZero();
        assertThat(release("X:ABC", CRYPTO_START)).isEmpty();
    }
}
