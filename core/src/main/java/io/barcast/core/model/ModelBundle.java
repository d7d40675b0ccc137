package io.barcast.core.model;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A loaded model folder: its validated {@code model.json} and the bytes of its {@code model.onnx}.
 * Holds no native resources; whoever serves it creates the inference session.
 */
public final class ModelBundle implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String SPEC_FILE = "model.json";
    public static final String ONNX_FILE = "model.onnx";

    private final ModelSpec spec;
    private final byte[] onnx;
    private final String source;

    private ModelBundle(ModelSpec spec, byte[] onnx, String source) {
        this.spec = spec;
        this.onnx = onnx;
        this.source = source;
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
        ModelSpec spec;
        try (InputStream in = Files.newInputStream(specFile)) {
            spec = ModelSpec.parse(in);
        }
        spec.validate(specFile.toString());
        return new ModelBundle(spec, Files.readAllBytes(onnxFile), dir.toString());
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
        ModelSpec spec;
        try (InputStream in = open(specResource)) {
            spec = ModelSpec.parse(in);
        }
        spec.validate("classpath:" + specResource);
        byte[] onnx;
        try (InputStream in = open(dir + "/" + ONNX_FILE)) {
            onnx = in.readAllBytes();
        }
        return new ModelBundle(spec, onnx, "classpath:" + dir);
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

    /** Where the model was loaded from, for logs: a folder, or {@code classpath:} and a path. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return spec.name() + " " + spec.version() + " from " + source;
    }
}
