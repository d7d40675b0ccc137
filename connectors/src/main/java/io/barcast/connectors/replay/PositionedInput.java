package io.barcast.connectors.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file from a byte position on through a channel that other readers of the same file share:
 * positional reads leave the channel's own position alone, so the runs of one file need one open
 * file between them, not one each.
 */
final class PositionedInput extends InputStream {

    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long next;

    PositionedInput(FileChannel channel, long position, int bufferSize) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(bufferSize).flip();
        this.next = position;
    }

    /** The file offset of the next byte {@link #read()} returns. */
    long position() {
        return next;
    }

    @Override
    public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        next++;
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int count = Math.min(length, buffer.remaining());
        buffer.get(into, offset, count);
        next += count;
        return count;
    }

    private boolean fill() throws IOException {
        buffer.clear();
        int count = channel.read(buffer, next);
        buffer.flip();
        return count > 0;
    }

    /** The channel belongs to whoever opened the file; closing this stream leaves it open. */
    @Override
    public void close() {}
}
