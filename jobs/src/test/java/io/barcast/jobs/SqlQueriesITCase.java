package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * Every query people run against the sink tables ({@code sql/queries/*.sql}) runs against the
 * migrated schema and answers with rows, after the production job replayed the real ETH bars into
 * it (with thresholds that make every chance a trade and every forecast a retrain candidate, so
 * that those tables have rows too). A migration that renames or drops a column a query reads fails
 * here, not in a user's psql.
 */
class SqlQueriesITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final Path QUERIES = Path.of("..", "sql", "queries");

    /** The psql variables the queries take ({@code -v symbol="'X:ETHUSD'"}), as psql puts them. */
    private static final Map<String, String> VARIABLES = Map.of("symbol", "'X:ETHUSD'");

    /** {@code :name}, but not the second colon of a {@code ::type} cast. */
    private static final Pattern VARIABLE = Pattern.compile("(?<!:):([a-z_]+)\\b");

    @TempDir static Path dir;

    @BeforeAll
    static void replayTheRealBars() throws Exception {
        DB.truncateAll();
        Map<String, String> settings =
                PipelineTestSupport.settings(
                        DB,
                        KAFKA,
                        PipelineTestSupport.writeEthInput(dir),
                        dir.resolve("state"),
                        "q");
        // trades at every chance, so that the trade tables have rows too
        settings.put("recommendation.min-profit-percent", "0.1");
        settings.put("recommendation.min-confidence", "0");
        settings.put("retrain.skill-threshold", "1.0");
        settings.put("retrain.after", "1h");
        PredictionJob.main(
                new String[] {
                    "--config", PipelineTestSupport.writeConfig(dir, settings).toString()
                });
    }

    static Stream<Path> queries() throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.list(QUERIES)) {
            files = all.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void answersWithRows(Path query) throws Exception {
        String sql = withVariables(Files.readString(query));
        try (Connection connection = DB.connect()) {
            if (sql.strip().startsWith("COPY")) {
                StringWriter csv = new StringWriter();
                long rows =
                        connection
                                .unwrap(PGConnection.class)
                                .getCopyAPI()
                                .copyOut(sql.strip().replaceAll(";$", ""), csv);
                assertThat(rows).as(query + " copies rows").isPositive();
                assertThat(csv.toString()).isNotBlank();
                return;
            }
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(sql)) {
                assertThat(result.next()).as(query + " answers with rows").isTrue();
                assertThat(result.getMetaData().getColumnCount()).isPositive();
            }
        }
    }

    /** The statement without its comment lines, with the psql variables put in. */
    private static String withVariables(String file) {
        String sql =
                file.lines()
                        .filter(l -> !l.strip().startsWith("--"))
                        .reduce("", (a, b) -> a + b + "\n");
        Matcher matcher = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = VARIABLES.get(matcher.group(1));
            assertThat(value).as("a value for psql variable :" + matcher.group(1)).isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
