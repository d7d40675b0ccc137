package io.barcast.core.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A loaded model folder: its validated {@code model.json} (parsed and as written) and the bytes of
 * its {@code model.onnx}. Holds no native resources; whoever serves it creates the inference
 * session.
 */
public final class ModelBundle implements Serializable {

    private static final long serialVersionUID = 2L;

    public static final String SPEC_FILE = "model.json";
    public static final String ONNX_FILE = "model.onnx";

    /**
     * Hex digits of a fingerprint: 64 bits tell models apart; the full hash would only be longer.
     */
    private static final int FINGERPRINT_CHARS = 16;

    private final ModelSpec spec;
    private final byte[] specJson;
    private final byte[] onnx;
    private final String source;
    private final String fingerprint;

    private ModelBundle(ModelSpec spec, byte[] specJson, byte[] onnx, String source) {
        this.spec = spec;
        this.specJson = specJson;
        this.onnx = onnx;
        this.source = source;
        this.fingerprint = fingerprint(specJson, onnx);
    }

    /**
     * Loads {@code dir/model.json} and {@code dir/model.onnx}.
     *
     * @throws IOException when a file is missing or unreadable, or model.json is not valid JSON
     * @throws IllegalArgumentException when model.json breaks the contract (see {@link
     *     ModelSpec#validate()})
     */
    public static ModelBundle load(Path dir) throws IOException {
        Path specFile = dir.resolve(SPEC_FILE);
        Path onnxFile = dir.resolve(ONNX_FILE);
        if (!Files.isRegularFile(specFile)) {
            throw new NoSuchFileException(specFile.toString(), null, "no model.json in " + dir);
        }
        if (!Files.isRegularFile(onnxFile)) {
            throw new NoSuchFileException(onnxFile.toString(), null, "no model.onnx in " + dir);
        }
        return of(
                Files.readAllBytes(specFile),
                Files.readAllBytes(onnxFile),
                dir.toString(),
                specFile.toString());
    }

    /**
     * Loads a model folder from the classpath, e.g. {@code models/default}.
     *
     * @throws IOException as {@link #load(Path)}
     * @throws IllegalArgumentException as {@link #load(Path)}
     */
    public static ModelBundle loadResource(String classpathDir) throws IOException {
        String dir = classpathDir.replaceAll("^/+|/+$", "");
        String specResource = dir + "/" + SPEC_FILE;
        byte[] specJson;
        try (InputStream in = open(specResource)) {
            specJson = in.readAllBytes();
        }
        byte[] onnx;
        try (InputStream in = open(dir + "/" + ONNX_FILE)) {
            onnx = in.readAllBytes();
        }
        return of(specJson, onnx, "classpath:" + dir, "classpath:" + specResource);
    }

    /**
     * A model from the bytes of its two files, read by the caller (who may want their {@link
     * #fingerprint(byte[], byte[])} even when they turn out to be broken).
     *
     * @param source where the files came from, for messages: validation errors start with {@code
     *     source/model.json}
     * @throws IOException when {@code specJson} is not valid JSON or not of model.json's shape
     * @throws IllegalArgumentException when model.json breaks the contract
     */
    public static ModelBundle of(byte[] specJson, byte[] onnx, String source) throws IOException {
        return of(specJson, onnx, source, source + "/" + SPEC_FILE);
    }

    private static ModelBundle of(byte[] specJson, byte[] onnx, String source, String specName)
            throws IOException {
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(new ByteArrayInputStream(specJson));
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the source and spans lines; name the file instead
            JsonLocation at = e.getLocation();
            throw new IOException(
                    specName
                            + " is not a valid model.json: "
                            + e.getOriginalMessage()
                            + (at == null
                                    ? ""
                                    : " (line "
                                            + at.getLineNr()
                                            + ", column "
                                            + at.getColumnNr()
                                            + ")"),
                    e);
        }
        spec.validate(specName);
        return new ModelBundle(spec, specJson, onnx, source);
    }

    /**
     * The fingerprint of a model folder's files: the first 16 hex digits of the SHA-256 of {@code
     * model.json}'s bytes followed by {@code model.onnx}'s. Any change to either file changes it,
     * so it tells apart two models that claim the same version.
     */
    public static String fingerprint(byte[] specJson, byte[] onnx) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha256.update(specJson);
        sha256.update(onnx);
        return HexFormat.of().formatHex(sha256.digest()).substring(0, FINGERPRINT_CHARS);
    }

    private static InputStream open(String resource) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            in = ModelBundle.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new FileNotFoundException("no " + resource + " on the classpath");
        }
        return in;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The ONNX model's bytes; not copied, do not modify. */
    public byte[] onnx() {
        return onnx;
    }

    /** {@code model.json} as written, UTF-8 text. */
    public String specJson() {
        return new String(specJson, StandardCharsets.UTF_8);
    }

    /** {@link #fingerprint(byte[], byte[])} of this model's two files. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Where the model was loaded from, for logs: a folder, or {@code classpath:} and a path. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return spec.name() + " " + spec.version() + " (" + fingerprint + ") from " + source;
    }
}
