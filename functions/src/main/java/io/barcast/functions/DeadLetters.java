package io.barcast.functions;

import io.barcast.core.DeadLetter;
import org.apache.flink.util.OutputTag;

/** The side output every operator sends rejected input and failed work to. */
public final class DeadLetters {

    /** Side output of dead letters; every operator that rejects anything uses this tag. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}
}
