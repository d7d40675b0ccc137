package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.barcast.jobs.cli.BarcastCli;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barcast run} against a database that refuses every write, whatever the row and whatever
 * the table (dead letters too): a failure that comes back on every attempt. The job must give up
 * after restart.attempts restarts, say so while it restarts, and exit non-zero naming the cause.
 */
class RepeatedFailureITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final int RESTART_ATTEMPTS = 2;

    /** A hang guard, far above the few seconds that three failed attempts take. */
    private static final Duration GIVES_UP_WITHIN = Duration.ofMinutes(2);

    private static final Pattern RESTARTS = Pattern.compile("restarts (\\d+) \\(last: (.*)\\)$");

    @Test
    void givesUpAfterItsRestartsAndNamesTheCauseInOneLine() throws Exception {
        // migrated first, then read-only for every new session: each insert fails the same way
        DB.execute(
                "ALTER DATABASE " + DB.databaseName() + " SET default_transaction_read_only = on");
        Path input = PipelineTestSupport.writeEthInput(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("state"), "refused");
        settings.put("jdbc.migrate", "false");
        settings.put("restart.attempts", Integer.toString(RESTART_ATTEMPTS));
        settings.put("restart.initial-delay", "3s");
        settings.put("restart.max-delay", "3s");
        settings.put("ui.port", Integer.toString(FreePorts.onLoopback()));
        List<String> args = new ArrayList<>(List.of("run"));
        settings.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));

        String output;
        int exitCode;
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode =
                    assertTimeoutPreemptively(
                            GIVES_UP_WITHIN,
                            () -> BarcastCli.execute(args.toArray(String[]::new)),
                            () ->
                                    "barcast run did not give up; it printed:\n"
                                            + captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(console);
            output = captured.toString(StandardCharsets.UTF_8);
            console.print(output);
        }

        assertThat(exitCode).as("exit code of a job that failed for good").isEqualTo(1);
        List<String> lines = output.lines().toList();
        assertThat(lines)
                .filteredOn(line -> line.startsWith("Job failed: "))
                .as("the root cause, in one line")
                .singleElement()
                .satisfies(line -> assertThat(line).contains("read-only"));

        List<Long> restartsShown = new ArrayList<>();
        for (String line : lines) {
            Matcher restarts = RESTARTS.matcher(line);
            if (line.startsWith("[") && restarts.find()) {
                assertThat(restarts.group(2)).as("the last failure's cause").contains("read-only");
                restartsShown.add(Long.parseLong(restarts.group(1)));
            }
        }
        // "RESTARTING, restarts 0" is right while the first restart waits for its delay
        assertThat(restartsShown)
                .as("restarts in the progress lines, never more than restart.attempts")
                .isNotEmpty()
                .allSatisfy(restarts -> assertThat(restarts).isBetween(0L, (long) RESTART_ATTEMPTS))
                .anySatisfy(restarts -> assertThat(restarts).isPositive());
    }
}
