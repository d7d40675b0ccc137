package io.barcast.jobs.options;

/** A setting barcast cannot start with; the message starts with the option's key. */
public final class InvalidOptionException extends IllegalArgumentException {

    private final String option;

    public InvalidOptionException(String option, String problem) {
        super("option '" + option + "': " + problem);
        this.option = option;
    }

    public String option() {
        return option;
    }
}
