package io.barcast.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code barcast} run as a real child process: this test JVM's {@code java} and class path, main
 * class {@code BarcastCli}, its output in a file. A process, not a thread, so that it can be killed
 * the way a crash kills it ({@link #kill()} sends SIGKILL).
 */
public final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private CliProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code barcast ARGS...}.
     *
     * @param output where its standard output and error go
     * @param environment variables added to this JVM's environment
     */
    public static CliProcess start(
            Path output, Map<String, String> environment, List<String> args) {
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return startJava(
                output,
                environment,
                classPath,
                List.of(
                        "-Xmx1g",
                        "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED"),
                "io.barcast.jobs.cli.BarcastCli",
                args);
    }

    /** Starts {@code java JVM_OPTIONS -cp CLASS_PATH MAIN ARGS...} with this test JVM's java. */
    public static CliProcess startJava(
            Path output,
            Map<String, String> environment,
            String classPath,
            List<String> jvmOptions,
            String mainClass,
            List<String> args) {
        try {
            // the class path goes through an argument file: it is longer than some shells take
            Path argFile = Files.createTempFile(output.getParent(), "java-args", ".txt");
            Files.writeString(
                    argFile,
                    "-cp \"" + classPath.replace("\\", "\\\\") + "\"",
                    StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("@" + argFile);
            command.add(mainClass);
            command.addAll(args);
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            return new CliProcess(builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash or the kernel's OOM killer would end it, then waits for it to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for it to end and returns its exit code; throws when it does not end in time. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    "the process did not end within " + timeout + "; it printed:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
