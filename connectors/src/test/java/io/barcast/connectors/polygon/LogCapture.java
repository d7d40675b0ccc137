package io.barcast.connectors.polygon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures every log event of the JVM (INFO and up, with stack traces) for a test class: register
 * it as a static extension; the class's {@code @AfterAll} methods can still read the lines.
 */
final class LogCapture extends AbstractAppender implements BeforeAllCallback, AfterAllCallback {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void beforeAll(ExtensionContext extension) {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.addAppender(this);
        config.getRootLogger().addAppender(this, Level.INFO, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line =
                new StringBuilder(event.getLoggerName())
                        .append(' ')
                        .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
