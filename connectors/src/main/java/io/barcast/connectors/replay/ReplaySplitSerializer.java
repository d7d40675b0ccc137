package io.barcast.connectors.replay;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Writes a {@link ReplaySplit}: its id, its files and how far it got. */
public final class ReplaySplitSerializer implements SimpleVersionedSerializer<ReplaySplit> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(ReplaySplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.splitId());
            out.writeInt(split.files().size());
            for (String file : split.files()) {
                out.writeUTF(file);
            }
            out.writeLong(split.position());
        }
        return bytes.toByteArray();
    }

    @Override
    public ReplaySplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String id = in.readUTF();
            int count = in.readInt();
            List<String> files = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                files.add(in.readUTF());
            }
            return new ReplaySplit(id, files, in.readLong());
        }
    }
}
