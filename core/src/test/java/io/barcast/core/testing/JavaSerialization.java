package io.barcast.core.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Java serialization as Flink ships functions and their fields to task managers, for tests that
 * what a job holds survives the trip.
 */
public final class JavaSerialization {

    private JavaSerialization() {}

    /** {@code value} written to bytes and read back: a copy, equal in content if all went well. */
    @SuppressWarnings("unchecked")
    public static <T extends Serializable> T roundTrip(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + value, e);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deserialize " + value, e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot deserialize " + value, e);
        }
    }
}
