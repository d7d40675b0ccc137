package io.barcast.connectors.testing;

import io.barcast.core.Bar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Bar files for the replay tests, written as a user would have them. */
public final class BarFiles {

    private BarFiles() {}

    /** A CSV file of the bars in the order given, under the header {@code symbol,t,o,h,l,c,v}. */
    public static Path csv(Path file, List<Bar> bars) throws IOException {
        List<String> lines = new ArrayList<>(bars.size() + 1);
        lines.add("symbol,t,o,h,l,c,v");
        for (Bar bar : bars) {
            lines.add(
                    String.join(
                            ",",
                            bar.symbol(),
                            Long.toString(bar.time()),
                            Double.toString(bar.open()),
                            Double.toString(bar.high()),
                            Double.toString(bar.low()),
                            Double.toString(bar.close()),
                            Double.toString(bar.volume())));
        }
        return Files.write(file, lines);
    }
}
