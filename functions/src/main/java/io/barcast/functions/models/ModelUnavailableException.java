package io.barcast.functions.models;

/**
 * A lease asked for a model version that its folder no longer (or not yet) serves: not current, and
 * not retired recently enough to still be leased.
 */
public class ModelUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String folder;
    private final String wantedVersion;
    private final String currentVersion;

    /**
     * @param currentVersion the folder's current version, or {@code null} when the folder serves no
     *     model
     */
    public ModelUnavailableException(String folder, String wantedVersion, String currentVersion) {
        super(
                "model folder "
                        + folder
                        + " cannot lease version "
                        + wantedVersion
                        + ": "
                        + (currentVersion == null
                                ? "the folder serves no model"
                                : "it serves version "
                                        + currentVersion
                                        + ", and "
                                        + wantedVersion
                                        + " is not one it retired within the grace"));
        this.folder = folder;
        this.wantedVersion = wantedVersion;
        this.currentVersion = currentVersion;
    }

    public String folder() {
        return folder;
    }

    public String wantedVersion() {
        return wantedVersion;
    }

    /** The folder's current version, or {@code null} when it serves no model. */
    public String currentVersion() {
        return currentVersion;
    }
}
