package io.barcast.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.jobs.testing.CapturedOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BarcastCliTest {

    @RegisterExtension final CapturedOutput output = new CapturedOutput();
    private final ByteArrayOutputStream out = output.out;
    private final ByteArrayOutputStream err = output.err;

    @Test
    void helpListsTheCommandsAndEveryOptionWithItsDefault() {
        assertThat(BarcastCli.execute("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("demo", "run", "backtest", "simulate");
        assertThat(help)
                .contains(
                        "source",
                        "jdbc.url",
                        "jdbc.user",
                        "jdbc.password",
                        "kafka.bootstrap-servers");
        assertThat(help).containsPattern("simulator\\.symbols\\s+default 20");
        assertThat(help).containsPattern("validation\\.threshold\\s+default 0.02");
        // picocli formats descriptions: a lone percent sign breaks the help it prints
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    @Test
    void demoHelpListsItsFlagsAndTheOptions() {
        assertThat(BarcastCli.execute("demo", "--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("--symbols", "--speed", "--duration", "--seed", "--set");
        assertThat(help).contains("inference.batch-size", "reprediction.cooldown");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    @Test
    void aWrongOptionStopsStartUpNamingIt() {
        assertThat(BarcastCli.execute("demo", "--set", "simulator.symbol=3")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("option 'simulator.symbol'")
                .contains("did you mean 'simulator.symbols'");
    }

    @Test
    void aBadValueStopsStartUpNamingTheOptionButNotTheSecret() {
        assertThat(
                        BarcastCli.execute(
                                "run", "--set", "jdbc.password=s3cret", "--set", "parallelism=-1"))
                .isEqualTo(2);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message).contains("option 'parallelism'");
        assertThat(message + out.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret");
    }

    @Test
    void aBadDurationIsRefusedBeforeAnythingStarts() {
        assertThat(BarcastCli.execute("demo", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("soon");
    }
}
