package io.barcast.connectors.simulator;

import io.barcast.core.simulator.SymbolState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Writes a {@link SimulatorSplit}: its id and each symbol's generator state. */
public final class SimulatorSplitSerializer implements SimpleVersionedSerializer<SimulatorSplit> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(SimulatorSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.splitId());
            out.writeInt(split.symbols().size());
            for (SymbolState state : split.symbols()) {
                state.writeTo(out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public SimulatorSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String id = in.readUTF();
            int count = in.readInt();
            List<SymbolState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(SymbolState.readFrom(in));
            }
            return new SimulatorSplit(id, states);
        }
    }
}
