package io.barcast.connectors.polygon.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: split id, then the number of symbols and each symbol with its position. */
public final class PolygonSplitSerializer implements SimpleVersionedSerializer<PolygonSplit> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PolygonSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.splitId());
            out.writeInt(split.positions().size());
            for (Map.Entry<String, Long> entry : split.positions().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue());
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public PolygonSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown Polygon split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String id = in.readUTF();
            int count = in.readInt();
            Map<String, Long> positions = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                positions.put(in.readUTF(), in.readLong());
            }
            return new PolygonSplit(id, positions);
        }
    }
}
