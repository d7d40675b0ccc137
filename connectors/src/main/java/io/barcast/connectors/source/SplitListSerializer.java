package io.barcast.connectors.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes a list of splits with the splits' own serializer: the enumerators' checkpoints. */
public final class SplitListSerializer<SplitT> implements SimpleVersionedSerializer<List<SplitT>> {

    private final SimpleVersionedSerializer<SplitT> splits;

    public SplitListSerializer(SimpleVersionedSerializer<SplitT> splits) {
        this.splits = splits;
    }

    @Override
    public int getVersion() {
        return splits.getVersion();
    }

    @Override
    public byte[] serialize(List<SplitT> list) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(list.size());
            for (SplitT split : list) {
                byte[] serialized = splits.serialize(split);
                out.writeInt(serialized.length);
                out.write(serialized);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public List<SplitT> deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int size = in.readInt();
            List<SplitT> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                list.add(splits.deserialize(version, split));
            }
            return list;
        }
    }
}
