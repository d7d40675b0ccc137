package io.barcast.connectors.replay;

import io.barcast.core.SafeText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a file into lines at {@code \n} (a {@code \r} before it is dropped), keeping each line's
 * byte offset and number. A line longer than the limit is skipped to its newline after its first
 * bytes, so no line ever takes more memory than the limit; a line that is not UTF-8 is decoded
 * lossily and reported.
 */
final class LineReader {

    /** Characters of an overlong line kept as the dead letter's payload. */
    static final int PREFIX_CHARS = 256;

    private static final int INITIAL_CAPACITY = 512;

    /**
     * One line: its text, or when it cannot be used, what stands for it and why.
     *
     * @param offset byte offset of the line's first byte in the file
     * @param number the line's number, from 1
     * @param bytes the line's length in bytes, without its line break
     */
    record Line(long offset, long number, long bytes, String text, String problem) {
        boolean isBlank() {
            return problem == null && text.isBlank();
        }
    }

    private final PositionedInput in;
    private final int maxLineBytes;
    private final CharsetDecoder strict =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private long number;

    /** Reads from where {@code in} stands, which is the start of line {@code firstLineNumber}. */
    LineReader(PositionedInput in, long firstLineNumber, int maxLineBytes) {
        this.in = in;
        this.number = firstLineNumber;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the file. */
    Line next() throws IOException {
        long offset = in.position();
        int kept = 0;
        long length = 0;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (length < maxLineBytes) {
                if (kept == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(maxLineBytes, 2L * kept));
                }
                bytes[kept++] = (byte) b;
            }
            length++;
        }
        if (b == -1 && length == 0) {
            return null;
        }
        long lineNumber = number++;
        try {
            if (length > maxLineBytes) {
                return tooLong(offset, lineNumber, length, kept);
            }
            if (kept > 0 && bytes[kept - 1] == '\r') {
                kept--;
                length--;
            }
            return decode(offset, lineNumber, kept);
        } finally {
            if (bytes.length > 64 * INITIAL_CAPACITY) {
                // one long line must not keep its buffer for the rest of the file
                bytes = new byte[INITIAL_CAPACITY];
            }
        }
    }

    private Line tooLong(long offset, long lineNumber, long length, int kept) {
        String prefix =
                new String(bytes, 0, Math.min(kept, 4 * PREFIX_CHARS), StandardCharsets.UTF_8);
        String payload =
                SafeText.truncated(
                        prefix.substring(0, Math.min(prefix.length(), PREFIX_CHARS)),
                        PREFIX_CHARS + 64,
                        length,
                        "bytes");
        return new Line(
                offset,
                lineNumber,
                length,
                payload,
                String.format(
                        "line %d is %,d bytes long, more than the limit of %,d bytes"
                                + " (replay.max-line-bytes); skipped to its end",
                        lineNumber, length, maxLineBytes));
    }

    private Line decode(long offset, long lineNumber, int length) {
        if (isAscii(length)) {
            return new Line(
                    offset,
                    lineNumber,
                    length,
                    new String(bytes, 0, length, StandardCharsets.ISO_8859_1),
                    null);
        }
        ByteBuffer source = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer chars = CharBuffer.allocate(length);
        strict.reset();
        CoderResult result = strict.decode(source, chars, true);
        if (!result.isError()) {
            result = strict.flush(chars);
        }
        if (result.isError()) {
            int bad = source.position();
            return new Line(
                    offset,
                    lineNumber,
                    length,
                    new String(bytes, 0, length, StandardCharsets.UTF_8),
                    String.format(
                            "line %d is not valid UTF-8: byte 0x%02X at byte offset %d of the"
                                    + " file (byte %d of the line)",
                            lineNumber, bytes[bad] & 0xff, offset + bad, bad + 1));
        }
        String text = chars.flip().toString();
        if (lineNumber == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new Line(offset, lineNumber, length, text, null);
    }

    private boolean isAscii(int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
