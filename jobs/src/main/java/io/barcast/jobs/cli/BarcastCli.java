package io.barcast.jobs.cli;

import io.barcast.jobs.options.BarcastConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code barcast} command line: {@code demo}, {@code run}, {@code simulate}, {@code bench},
 * {@code backtest}, {@code api}, {@code api-keys} and the API's clients.
 */
@Command(
        name = "barcast",
        mixinStandardHelpOptions = true,
        version = "barcast 0.1.0",
        description = "Real-time 1-week-ahead forecasts of 15-minute market bars on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            SimulateCommand.class,
            BenchCommand.class,
            BacktestCommand.class,
            ApiCommand.class,
            ApiKeysCommand.class,
            ApiBenchCommand.class,
            WebhookBenchCommand.class,
            ExportBenchCommand.class,
            StreamBenchCommand.class,
            ApiClientCommands.Status.class,
            ApiClientCommands.Predictions.class,
            ApiClientCommands.Recommendations.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nOptions for --set key=value (and the YAML config of 'run'):%n")
public final class BarcastCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code: 2 for a wrong option. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new BarcastCli());
        cli.getCommandSpec().usageMessage().footer(optionsTable());
        for (String command : new String[] {"demo", "run", "api"}) {
            cli.getSubcommands()
                    .get(command)
                    .getCommandSpec()
                    .usageMessage()
                    .footerHeading("%nOptions for --set key=value and the YAML config:%n")
                    .footer(optionsTable());
        }
        cli.setExecutionExceptionHandler(
                (error, commandLine, parseResult) -> {
                    if (error instanceof ApiConnection.ApiCallException) {
                        // the API clients: what went wrong, in one line, without a stack trace
                        commandLine.getErr().println("barcast: " + error.getMessage());
                        return 1;
                    }
                    if (error instanceof IllegalArgumentException) {
                        commandLine.getErr().println("barcast: " + error.getMessage());
                        return 2;
                    }
                    throw error;
                });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Every option with its default and description, for the help pages. */
    static String optionsTable() {
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, ConfigOption<?>> entry : BarcastConfig.OPTIONS.entrySet()) {
            ConfigOption<?> option = entry.getValue();
            Object value = option.hasDefaultValue() ? option.defaultValue() : null;
            String shown;
            if (value == null) {
                shown = "(none)";
            } else if (value instanceof Duration duration) {
                shown = TimeUtils.formatWithHighestUnit(duration);
            } else {
                shown = value.toString().isEmpty() ? "\"\"" : value.toString();
            }
            table.append(String.format("  %-30s default %s%n", entry.getKey(), shown));
            table.append(String.format("      %s%n", describe(option)));
        }
        table.append(
                String.format(
                        "  %-30s any Flink option, e.g. flink.taskmanager.memory.process.size=2g%n",
                        "flink.<key>"));
        return table.toString();
    }

    private static String describe(ConfigOption<?> option) {
        return new HtmlFormatter()
                .format(option.description())
                .replace("&gt;", ">")
                .replace("&lt;", "<")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
