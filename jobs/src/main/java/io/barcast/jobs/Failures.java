package io.barcast.jobs;

/** How barcast tells people why something failed: the innermost cause, the one that says what. */
public final class Failures {

    private Failures() {}

    /** The message of the innermost cause of {@code e}. */
    public static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
