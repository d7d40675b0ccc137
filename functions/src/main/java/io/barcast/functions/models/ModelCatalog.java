package io.barcast.functions.models;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The models a {@link ModelRegistry} serves, and the problems its scan found.
 *
 * @param models the current model of every folder, sorted by folder; {@code default} is always one
 * @param problems folders refused since problems were last handed out, each broken set of files
 *     once; empty in {@link ModelRegistry#catalog()}
 */
public record ModelCatalog(List<ModelVersion> models, List<ModelProblem> problems) {

    public ModelCatalog {
        models = List.copyOf(models);
        problems = List.copyOf(problems);
    }

    /** The current model of {@code folder}, if it serves one. */
    public Optional<ModelVersion> model(String folder) {
        return models.stream().filter(m -> m.folder().equals(folder)).findFirst();
    }

    /**
     * The folder whose model serves {@code symbol}, as {@link #folderFor(String, Set)} picks it.
     */
    public String folderFor(String symbol) {
        return folderFor(
                symbol, models.stream().map(ModelVersion::folder).collect(Collectors.toSet()));
    }

    /**
     * The folder among {@code folders} that serves {@code symbol}: the symbol's own ({@code AAPL},
     * {@code X:BTCUSD}), else its name with underscores for colons ({@code X_BTCUSD}, for file
     * systems and tools that dislike colons), else {@link ModelRegistry#DEFAULT}.
     */
    public static String folderFor(String symbol, Set<String> folders) {
        if (folders.contains(symbol)) {
            return symbol;
        }
        String underscored = symbol.replace(':', '_');
        return folders.contains(underscored) ? underscored : ModelRegistry.DEFAULT;
    }
}
