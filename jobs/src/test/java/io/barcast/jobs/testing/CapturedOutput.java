package io.barcast.jobs.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the command line prints during each test: {@code System.out} and {@code System.err} are
 * captured before the test and given back after it.
 */
public final class CapturedOutput implements BeforeEachCallback, AfterEachCallback {

    /** What the test printed to standard output. */
    public final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** What the test printed to standard error. */
    public final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private PrintStream originalOut;
    private PrintStream originalErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        out.reset();
        err.reset();
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }
}
