package io.barcast.connectors.replay;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes a {@link ReplaySplit}: its id, its files and, per run of each file, where it got to.
 * Version 1 kept only how many bars of the merged order were emitted; such a split is restored by
 * skipping that many.
 */
public final class ReplaySplitSerializer implements SimpleVersionedSerializer<ReplaySplit> {

    static final int POSITION_COUNT = 1;
    static final int RUN_POSITIONS = 2;

    @Override
    public int getVersion() {
        return RUN_POSITIONS;
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
            out.writeInt(split.runs().size());
            for (ReplayRun run : split.runs()) {
                out.writeInt(run.file());
                out.writeLong(run.offset());
                out.writeLong(run.line());
                out.writeInt(run.emitted());
                out.writeLong(run.end());
            }
            out.writeLong(split.barsToSkip());
        }
        return bytes.toByteArray();
    }

    @Override
    public ReplaySplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != POSITION_COUNT && version != RUN_POSITIONS) {
            throw new IOException("unknown replay split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String id = in.readUTF();
            int count = in.readInt();
            List<String> files = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                files.add(in.readUTF());
            }
            if (version == POSITION_COUNT) {
                return new ReplaySplit(id, files, List.of(), in.readLong());
            }
            int runCount = in.readInt();
            List<ReplayRun> runs = new ArrayList<>(runCount);
            for (int i = 0; i < runCount; i++) {
                runs.add(
                        new ReplayRun(
                                in.readInt(),
                                in.readLong(),
                                in.readLong(),
                                in.readInt(),
                                in.readLong()));
            }
            return new ReplaySplit(id, files, runs, in.readLong());
        }
    }
}
