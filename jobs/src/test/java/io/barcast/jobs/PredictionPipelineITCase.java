package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelBundle;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology end to end: real ETH bars replayed through the real model into a real
 * PostgreSQL and a real Kafka broker, on a MiniCluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictionPipelineITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final double MIN_PROFIT = 0.3;
    private static final double MIN_CONFIDENCE = 0.3;

    private static List<Bar> eth;
    private static BarcastConfig config;
    private static ModelBundle model;

    @BeforeAll
    static void runPipelineOnce() throws Exception {
        eth = RealBars.eth15m();
        Path input = PipelineTestSupport.writeEthInput(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("cp"), "e2e");
        // low enough for the default model's small moves on three days of bars
        settings.put("recommendation.min-profit-percent", Double.toString(MIN_PROFIT));
        settings.put("recommendation.min-confidence", Double.toString(MIN_CONFIDENCE));
        settings.put("band.min-residuals", "20");
        config = BarcastConfig.of(settings);
        model = Models.defaultBundle(config);
        runJob();
    }

    private static void runJob() throws Exception {
        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        env.execute("barcast-e2e");
    }

    @Test
    void writesOneForecastPerBarOnceTheWindowIsFull() {
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(expected);
        assertThat(DB.count("SELECT count(*) FROM bars")).isEqualTo(eth.size());

        List<Map<String, Object>> rows = DB.query("SELECT * FROM predictions ORDER BY as_of");
        Set<Long> expectedAsOf =
                eth.subList(PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST - 1, eth.size()).stream()
                        .map(Bar::time)
                        .collect(Collectors.toSet());
        assertThat(rows)
                .extracting(row -> ((Timestamp) row.get("as_of")).getTime())
                .containsExactlyInAnyOrderElementsOf(expectedAsOf);
        assertThat(rows)
                .allSatisfy(
                        row -> {
                            assertThat(row.get("symbol")).isEqualTo("X:ETHUSD");
                            assertThat(row.get("model_version")).isEqualTo(model.spec().version());
                            assertThat(row.get("reason")).isEqualTo("new_bar");
                        });
        assertThat(DB.count("SELECT count(*) FROM prediction_points")).isEqualTo(expected * 672L);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM prediction_points p JOIN predictions q USING"
                                        + " (prediction_id) WHERE NOT (p.price > 0 AND p.price <"
                                        + " 'Infinity'::float8) OR p.bar_time <= q.as_of"))
                .isZero();
        // the path starts one bar after the forecast's bar and runs a week on a 24x7 calendar
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE path_times[1] <> as_of +"
                                        + " interval '15 minutes' OR horizon_end <> as_of +"
                                        + " interval '7 days'"))
                .isZero();
    }

    @Test
    void publishesTheSameForecastsOnKafkaExactlyOnce() throws Exception {
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;
        List<ConsumerRecord<String, String>> records =
                KAFKA.consume("e2e.predictions", true, expected, Duration.ofSeconds(60));
        ObjectMapper mapper = Json.newMapper();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode json = mapper.readTree(record.value());
            assertThat(record.key()).isEqualTo("X:ETHUSD");
            // the bars are from 2023: a record stamped with event time would be deleted by
            // retention at once, so records carry the time they were written
            assertThat(record.timestamp()).isGreaterThan(System.currentTimeMillis() - 3_600_000);
            assertThat(json.get("modelVersion").asText()).isEqualTo(model.spec().version());
            assertThat(json.get("prices")).hasSize(672);
            assertThat(json.get("lower")).hasSize(672);
            assertThat(json.get("upper")).hasSize(672);
            assertThat(json.get("confidenceFactors").size()).isEqualTo(10);
            assertThat(json.get("confidence").asDouble()).isBetween(0.0, 1.0);
            ids.add(json.get("id").asText());
        }
        assertThat(records).hasSize(expected);
        Set<String> inDatabase =
                DB.query("SELECT prediction_id::text AS id FROM predictions").stream()
                        .map(row -> (String) row.get("id"))
                        .collect(Collectors.toSet());
        assertThat(ids).isEqualTo(inDatabase);
    }

    @Test
    void everyForecastCarriesItsBandAndItsConfidenceWithTheTenFactors() {
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE path_lower IS NULL OR"
                                        + " confidence IS NULL OR confidence_factors IS NULL"))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM prediction_points WHERE NOT (lower > 0 AND"
                                        + " lower <= upper AND upper < 'Infinity'::float8)"))
                .isZero();
        // no residuals before the first forecast; three days later the first day's steps have
        // their residuals, the week's last steps cannot
        List<Map<String, Object>> methods =
                DB.query("SELECT band_method, band_coverage FROM predictions ORDER BY as_of");
        assertThat(methods.get(0).get("band_method")).isEqualTo("volatility");
        assertThat(methods.get(methods.size() - 1).get("band_method"))
                .isEqualTo("conformal_partial");
        assertThat(methods).allSatisfy(row -> assertThat(row.get("band_coverage")).isEqualTo(0.8));
        // the band is wider a week out than a bar out
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE path_upper[672] -"
                                        + " path_lower[672] <= path_upper[1] - path_lower[1]"))
                .isZero();

        // recomputed from the stored factors with the default weights
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE abs(confidence -"
                                        + " confidence_decay * ("
                                        + " 0.25 * (confidence_factors->>'model_performance')::float8"
                                        + " + 0.15 * (confidence_factors->>'data_quality')::float8"
                                        + " + 0.15 * (confidence_factors->>'market_volatility')::float8"
                                        + " + 0.10 * (confidence_factors->>'trend_consistency')::float8"
                                        + " + 0.10 * (confidence_factors->>'volume_analysis')::float8"
                                        + " + 0.10 *"
                                        + " (confidence_factors->>'technical_indicators')::float8"
                                        + " + 0.05 * (confidence_factors->>'time_of_day')::float8"
                                        + " + 0.05 * (confidence_factors->>'market_regime')::float8"
                                        + " + 0.03 *"
                                        + " (confidence_factors->>'prediction_stability')::float8"
                                        + " + 0.02 *"
                                        + " (confidence_factors->>'historical_accuracy')::float8))"
                                        + " > 1e-9"))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions p, jsonb_each_text"
                                        + "(p.confidence_factors) f WHERE f.value::float8 NOT"
                                        + " BETWEEN 0 AND 1"))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions WHERE confidence_level <> CASE"
                                        + " WHEN confidence >= 0.85 THEN 'very_high' WHEN"
                                        + " confidence >= 0.7 THEN 'high' WHEN confidence >= 0.5"
                                        + " THEN 'medium' WHEN confidence >= 0.3 THEN 'low' ELSE"
                                        + " 'very_low' END"))
                .isZero();
        // replayed bars have no feed delay and the model is younger than the bars: no decay
        assertThat(DB.count("SELECT count(*) FROM predictions WHERE confidence_decay <> 1"))
                .isZero();
    }

    @Test
    void recommendationsAreStoredAndPublishedAndEachNewerForecastSupersedesTheOlder()
            throws Exception {
        List<Map<String, Object>> rows = DB.query("SELECT * FROM recommendations");
        assertThat(rows).isNotEmpty();
        assertThat(rows)
                .allSatisfy(
                        row -> {
                            double entry = (Double) row.get("entry_price");
                            double target = (Double) row.get("target_price");
                            double stop = (Double) row.get("stop_loss");
                            assertThat((Double) row.get("expected_return_percent"))
                                    .isGreaterThanOrEqualTo(MIN_PROFIT);
                            assertThat((Double) row.get("confidence"))
                                    .isGreaterThanOrEqualTo(MIN_CONFIDENCE);
                            assertThat((Double) row.get("risk_reward")).isPositive();
                            if (row.get("side").equals("long")) {
                                assertThat(stop).isLessThan(entry);
                                assertThat(target).isGreaterThan(entry);
                            } else {
                                assertThat(stop).isGreaterThan(entry);
                                assertThat(target).isLessThan(entry);
                            }
                            assertThat((Timestamp) row.get("exit_time"))
                                    .isAfter((Timestamp) row.get("entry_time"));
                        });
        // only the newest forecast's trades are active; every older one names its successor
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM recommendations r WHERE status = 'active'"
                                        + " AND as_of < (SELECT max(as_of) FROM predictions p"
                                        + " WHERE p.symbol = r.symbol)"))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM recommendations r WHERE status ="
                                        + " 'superseded' AND NOT EXISTS (SELECT 1 FROM predictions"
                                        + " p WHERE p.prediction_id = r.superseded_by AND p.as_of"
                                        + " >= r.as_of)"))
                .isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM recommendations r LEFT JOIN predictions p"
                                        + " USING (prediction_id) WHERE p.prediction_id IS NULL"))
                .isZero();

        // on Kafka: each trade as active, and again when superseded (a result overtaken by a
        // newer forecast publishes its trades superseded at once)
        Map<String, String> inTable =
                rows.stream()
                        .collect(
                                Collectors.toMap(
                                        row -> row.get("recommendation_id").toString(),
                                        row -> (String) row.get("status")));
        long superseded = inTable.values().stream().filter("superseded"::equals).count();
        List<ConsumerRecord<String, String>> records =
                KAFKA.consume(
                        "e2e.recommendations",
                        true,
                        (int) (rows.size() + superseded),
                        Duration.ofSeconds(60));
        ObjectMapper mapper = Json.newMapper();
        Map<String, List<String>> statuses = new java.util.HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode json = mapper.readTree(record.value());
            statuses.computeIfAbsent(json.get("id").asText(), id -> new java.util.ArrayList<>())
                    .add(json.get("status").asText());
        }
        assertThat(statuses.keySet()).isEqualTo(inTable.keySet());
        Map<String, String> lastStatus = new java.util.HashMap<>();
        statuses.forEach((id, list) -> lastStatus.put(id, list.get(list.size() - 1)));
        assertThat(statuses.values())
                .allSatisfy(
                        list ->
                                assertThat(list)
                                        .isIn(
                                                List.of("active"),
                                                List.of("active", "superseded"),
                                                List.of("superseded")));
        assertThat(lastStatus).isEqualTo(inTable);
    }

    @Test
    void everyForecastPointWhoseBarCameIsValidatedOnceAgainstIt() throws Exception {
        long validations = DB.count("SELECT count(*) FROM validations");
        // recomputed from the forecasts and the bars: each point at the model's steps whose bar
        // is in the bars table
        long expected =
                DB.count(
                        "SELECT count(*) FROM predictions p CROSS JOIN"
                                + " unnest(ARRAY[1,2,4,8,16,26,52,78,104,130,260,390,520,672])"
                                + " AS s(step) JOIN bars b ON b.symbol = p.symbol"
                                + " AND b.bar_time = p.path_times[s.step]");
        assertThat(validations).isPositive().isEqualTo(expected);
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM validations v JOIN predictions p USING"
                                        + " (prediction_id) JOIN bars b ON b.symbol = v.symbol AND"
                                        + " b.bar_time = v.target_time WHERE v.actual <> b.close"
                                        + " OR v.predicted <> p.path_prices[v.horizon_bars]"
                                        + " OR v.target_time <> p.path_times[v.horizon_bars]"
                                        + " OR v.last_close <> p.last_close"
                                        + " OR v.inside_band <> (p.path_lower[v.horizon_bars] <="
                                        + " b.close AND b.close <= p.path_upper[v.horizon_bars])"
                                        + " OR abs(v.error_percent - 100 * (v.predicted -"
                                        + " b.close) / b.close) > 1e-9"
                                        + " OR abs(v.naive_error_percent - 100 * (p.last_close -"
                                        + " b.close) / b.close) > 1e-9"
                                        + " OR v.direction_right IS DISTINCT FROM CASE WHEN b.close"
                                        + " = p.last_close THEN NULL ELSE sign(v.predicted -"
                                        + " p.last_close) = sign(b.close - p.last_close) END"))
                .isZero();
        List<ConsumerRecord<String, String>> onKafka =
                KAFKA.consume("e2e.validations", true, (int) validations, Duration.ofSeconds(60));
        assertThat(onKafka).hasSize((int) validations);
    }

    @Test
    void rollingAccuracyIsRecomputableFromTheValidationRows() throws Exception {
        long rows = DB.count("SELECT count(*) FROM accuracy");
        assertThat(rows).isPositive();
        // every forecast with validated points has its figures over all steps
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM predictions p WHERE EXISTS (SELECT 1 FROM"
                                        + " validations v WHERE v.symbol = p.symbol AND"
                                        + " v.target_time <= p.as_of) AND NOT EXISTS (SELECT 1 FROM"
                                        + " accuracy a WHERE a.symbol = p.symbol AND a.as_of ="
                                        + " p.as_of AND a.horizon = 'all')"))
                .isZero();
        // each row is over the newest band.residual-window (100) points per step that bars up to
        // its as-of settled, in the horizon's bucket
        String recomputed =
                "WITH picked AS (SELECT a.accuracy_id, v.*, row_number() OVER (PARTITION BY"
                        + " a.accuracy_id, v.horizon_bars ORDER BY v.target_time DESC, v.as_of DESC)"
                        + " AS n FROM accuracy a JOIN validations v ON v.symbol = a.symbol AND"
                        + " v.target_time <= a.as_of AND (a.horizon = 'all' OR a.horizon = CASE WHEN"
                        + " v.horizon_bars <= 4 THEN '1h' WHEN v.horizon_bars <= 96 THEN '1d' ELSE"
                        + " '1w' END)), figures AS (SELECT accuracy_id, count(*) AS points,"
                        + " avg(abs(error_percent)) AS mae, sqrt(avg(error_percent ^ 2)) AS rmse,"
                        + " avg(abs(naive_error_percent)) AS naive, avg(direction_right::int) AS"
                        + " direction, avg(inside_band::int) AS coverage FROM picked WHERE n <= 100"
                        + " GROUP BY accuracy_id) SELECT count(*) FROM accuracy a JOIN figures f"
                        + " USING (accuracy_id) WHERE a.points <> f.points OR abs(a.mae_percent -"
                        + " f.mae) > 1e-9 OR abs(a.rmse_percent - f.rmse) > 1e-9 OR"
                        + " abs(a.naive_mae_percent - f.naive) > 1e-9 OR abs(a.band_coverage -"
                        + " f.coverage) > 1e-9 OR abs(coalesce(a.directional_accuracy, -1) -"
                        + " coalesce(f.direction, -1)) > 1e-9 OR abs(a.skill - (1 - f.mae /"
                        + " f.naive)) > 1e-9";
        assertThat(DB.count(recomputed)).isZero();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM accuracy a WHERE NOT EXISTS (SELECT 1 FROM"
                                        + " validations v WHERE v.symbol = a.symbol AND"
                                        + " v.target_time <= a.as_of)"))
                .isZero();
        List<ConsumerRecord<String, String>> onKafka =
                KAFKA.consume("e2e.accuracy", true, (int) rows, Duration.ofSeconds(60));
        assertThat(onKafka).hasSize((int) rows);
    }

    @Test
    void eachTradeOutcomeFollowsFromTheActualBars() throws Exception {
        long outcomes = DB.count("SELECT count(*) FROM trade_outcomes");
        assertThat(outcomes).isPositive();
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM trade_outcomes o LEFT JOIN recommendations r"
                                        + " USING (recommendation_id) WHERE r.recommendation_id IS"
                                        + " NULL OR r.side <> o.side OR r.target_price <>"
                                        + " o.target_price OR r.stop_loss <> o.stop_loss"))
                .isZero();
        // entered at the close of the first bar at or after the entry time (missed when that close
        // is already past the target or the stop); ended by the exit
        // bar's range, or at its close once the exit time came; the return from those prices
        String inconsistent =
                "SELECT count(*) FROM trade_outcomes o JOIN recommendations r USING"
                        + " (recommendation_id) JOIN bars x ON x.symbol = o.symbol AND x.bar_time ="
                        + " o.exit_time WHERE o.entry_price <> (SELECT b.close FROM bars b WHERE"
                        + " b.symbol = o.symbol AND b.bar_time >= r.entry_time ORDER BY b.bar_time"
                        + " LIMIT 1) OR (o.outcome <> 'missed' AND o.exit_time <= o.entry_time) OR"
                        + " o.exit_time > r.exit_time OR (o.outcome = 'missed' AND NOT (o.exit_time ="
                        + " o.entry_time AND o.realized_return_percent = 0 AND CASE o.side WHEN 'long'"
                        + " THEN o.entry_price >= o.target_price OR o.entry_price <= o.stop_loss ELSE"
                        + " o.entry_price <= o.target_price OR o.entry_price >= o.stop_loss END)) OR"
                        + " (o.outcome = 'target_hit' AND NOT (CASE o.side WHEN 'long' THEN x.high >="
                        + " o.target_price ELSE x.low <= o.target_price END)) OR (o.outcome ="
                        + " 'stop_hit' AND NOT (CASE o.side WHEN 'long' THEN x.low <= o.stop_loss ELSE"
                        + " x.high >= o.stop_loss END)) OR (o.outcome = 'expired' AND (o.exit_time <>"
                        + " r.exit_time OR o.exit_price <> x.close)) OR abs(o.realized_return_percent -"
                        + " 100 * (CASE o.side WHEN 'long' THEN 1 ELSE -1 END) * (o.exit_price -"
                        + " o.entry_price) / o.entry_price) > 1e-9";
        assertThat(DB.count(inconsistent)).isZero();
        // no bar between entry and exit reached the target or the stop before the exit bar
        String endedLate =
                "SELECT count(*) FROM trade_outcomes o JOIN bars b ON b.symbol = o.symbol AND"
                        + " b.bar_time > o.entry_time AND b.bar_time < o.exit_time WHERE CASE o.side"
                        + " WHEN 'long' THEN b.high >= o.target_price OR b.low <= o.stop_loss ELSE"
                        + " b.low <= o.target_price OR b.high >= o.stop_loss END";
        assertThat(DB.count(endedLate)).isZero();
        List<Map<String, Object>> success = DB.query("SELECT * FROM trade_success");
        assertThat(success).isNotEmpty();
        assertThat(
                        KAFKA.consume(
                                "e2e.trade-outcomes", true, (int) outcomes, Duration.ofSeconds(60)))
                .hasSize((int) outcomes);
    }

    @Test
    void everyBadInputLandsInTheDeadLettersWithItsReason() throws Exception {
        List<Map<String, Object>> deadLetters = DB.query("SELECT * FROM dead_letters");
        for (String reason : PipelineTestSupport.BAD_LINES.values()) {
            assertThat(deadLetters)
                    .extracting(row -> (String) row.get("reason"))
                    .anySatisfy(r -> assertThat(r).contains(reason));
        }
        assertThat(deadLetters)
                .extracting(row -> (String) row.get("reason"))
                .anySatisfy(r -> assertThat(r).startsWith("duplicate"));
        assertThat(deadLetters).hasSize(PipelineTestSupport.BAD_LINES.size() + 1);

        List<ConsumerRecord<String, String>> onKafka =
                KAFKA.consume("e2e.dead-letters", true, deadLetters.size(), Duration.ofSeconds(60));
        assertThat(onKafka).hasSize(deadLetters.size());
    }

    @Test
    @Order(Integer.MAX_VALUE) // it runs the job again, which publishes again
    void aSecondRunOverTheSameInputLeavesTheTablesUnchanged() throws Exception {
        String snapshot =
                "SELECT (SELECT string_agg(t::text, '|' ORDER BY t::text) FROM %s t) AS rows";
        Map<String, Object> before = tables(snapshot);
        runJob();
        Map<String, Object> after = tables(snapshot);
        assertThat(after).isEqualTo(before);
    }

    private static Map<String, Object> tables(String snapshot) {
        return Map.of(
                "bars", DB.query(String.format(snapshot, "bars")).get(0).get("rows"),
                "predictions", DB.query(String.format(snapshot, "predictions")).get(0).get("rows"),
                "dead_letters",
                        DB.query(String.format(snapshot, "dead_letters")).get(0).get("rows"),
                "validations", DB.query(String.format(snapshot, "validations")).get(0).get("rows"),
                "accuracy", DB.query(String.format(snapshot, "accuracy")).get(0).get("rows"),
                "trade_outcomes",
                        DB.query(String.format(snapshot, "trade_outcomes")).get(0).get("rows"),
                "recommendations",
                        DB.query(
                                        String.format(
                                                snapshot,
                                                "(SELECT recommendation_id, status, superseded_by"
                                                        + " FROM recommendations)"))
                                .get(0)
                                .get("rows"));
    }

    @Test
    void runsWithGenericTypesDisabled() {
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        // and the job above ran to the end with them disabled: no type fell back to Kryo
        assertThat(DB.count("SELECT count(*) FROM predictions")).isPositive();
    }
}
