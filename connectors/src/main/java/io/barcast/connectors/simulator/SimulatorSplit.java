package io.barcast.connectors.simulator;

import io.barcast.core.simulator.SymbolState;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/** A group of simulated symbols, each with the state its next bar is generated from. */
public record SimulatorSplit(String splitId, List<SymbolState> symbols) implements SourceSplit {}
