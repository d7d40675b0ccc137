package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.api.ApiServer;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.core.Bar;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.local.ApiSetup;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predict: the API's forecast of a window equals the job's forecast of the same bars with the same
 * model version (the symbol's first, made without a track record), and bad windows are refused by
 * field.
 */
class ApiPredictITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    @TempDir static Path dir;

    private static final ObjectMapper MAPPER = ApiServer.mapper();
    private static final int WINDOW = 84;

    private static ApiServer server;
    private static ApiClient premium;
    private static ApiClient basic;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        BarcastConfig config = PipelineTables.fill(DB, KAFKA, dir, "predict");
        server = new ApiServer(ApiSetup.settingsOf(config).withPort(0)).start();
        ApiKeys keys = new ApiKeys(server.context().db());
        premium = new ApiClient(server.url(), keys.create("quant", Tier.PREMIUM).secret());
        basic = new ApiClient(server.url(), keys.create("reader", Tier.DEFAULT).secret());
        contract = OpenApiContract.served(premium);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void forecastsAWindowAsTheJobForecastItsFirst() throws Exception {
        List<Bar> eth = RealBars.eth15m().subList(0, WINDOW);
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode windows = body.putArray("windows");
        windows.add(window(PipelineTables.ETH, eth, 1.0));
        windows.add(window(PipelineTables.ETH_EUR, eth, 0.92));
        ApiClient.Response response = premium.post("/api/v1/predict", body.toString());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        contract.assertValid("POST", "/api/v1/predict", response);
        JsonNode answer = response.json();
        assertThat(answer.at("/facts/windows").asInt()).isEqualTo(2);
        assertThat(answer.at("/facts/batch_size").asInt())
                .as("both windows in one ONNX Runtime call")
                .isEqualTo(2);

        for (JsonNode forecast : answer.get("items")) {
            String symbol = forecast.get("symbol").asText();
            Map<String, Object> job =
                    DB.query(
                                    "SELECT * FROM predictions WHERE symbol = ? ORDER BY as_of"
                                            + " LIMIT 1",
                                    symbol)
                            .get(0);
            assertThat(forecast.get("as_of").asText())
                    .isEqualTo(((Timestamp) job.get("as_of")).toInstant().toString());
            assertThat(forecast.get("model_version").asText()).isEqualTo(job.get("model_version"));
            assertThat(forecast.get("reason").asText()).isEqualTo("api");
            assertThat(forecast.get("prediction_id").asText())
                    .as("never the id of the job's forecast")
                    .isNotEqualTo(job.get("prediction_id").toString());
            Double[] prices = doubles(job.get("path_prices"));
            Double[] lower = doubles(job.get("path_lower"));
            Double[] upper = doubles(job.get("path_upper"));
            Timestamp[] times = (Timestamp[]) ((Array) job.get("path_times")).getArray();
            JsonNode path = forecast.get("path");
            assertThat(path).hasSize(prices.length);
            for (int i = 0; i < prices.length; i++) {
                JsonNode point = path.get(i);
                assertThat(point.get("time").asText()).isEqualTo(times[i].toInstant().toString());
                assertRelative(point.get("price").asDouble(), prices[i]);
                assertRelative(point.get("lower").asDouble(), lower[i]);
                assertRelative(point.get("upper").asDouble(), upper[i]);
            }
            assertThat(forecast.at("/band/method").asText()).isEqualTo(job.get("band_method"));
            assertThat(forecast.get("confidence").asDouble())
                    .isCloseTo((Double) job.get("confidence"), within(1e-12));
            assertThat(forecast.get("confidence_level").asText())
                    .isEqualTo(job.get("confidence_level"));
            JsonNode factors = MAPPER.readTree(job.get("confidence_factors").toString());
            assertThat(forecast.at("/confidence_detail/factors").size()).isEqualTo(10);
            factors.fields()
                    .forEachRemaining(
                            factor ->
                                    assertThat(
                                                    forecast.at("/confidence_detail/factors")
                                                            .get(factor.getKey())
                                                            .asDouble())
                                            .as(factor.getKey())
                                            .isCloseTo(
                                                    factor.getValue().asDouble(), within(1e-12)));
        }
    }

    @Test
    void refusesBadWindowsByField() {
        List<Bar> eth = RealBars.eth15m().subList(0, WINDOW);
        assertBad(
                "{\"windows\": [" + window(PipelineTables.ETH, eth.subList(0, 10), 1) + "]}",
                "windows",
                "X:ETHUSD");
        List<Bar> backwards = new java.util.ArrayList<>(eth);
        java.util.Collections.reverse(backwards);
        ObjectNode reversed = window(PipelineTables.ETH, backwards, 1);
        assertBad("{\"windows\": [" + reversed + "]}", "windows", "order");
        ObjectNode noClose = window(PipelineTables.ETH, eth, 1);
        ((ObjectNode) noClose.get("bars").get(5)).remove("close");
        assertBad("{\"windows\": [" + noClose + "]}", "windows[0].bars[5].close", "number");
        ObjectNode badTime = window(PipelineTables.ETH, eth, 1);
        ((ObjectNode) badTime.get("bars").get(0)).put("time", "yesterday");
        assertBad("{\"windows\": [" + badTime + "]}", "windows[0].bars[0].time", "ISO-8601");
        ObjectNode badSymbol = window("X';DROP TABLE predictions;--", eth, 1);
        assertBad("{\"windows\": [" + badSymbol + "]}", "windows[0].symbol", "symbol");
        assertBad("{\"windows\": []}", "windows", "non-empty");
        assertBad("{\"windows\": ", "body", "JSON");
        long predictions = DB.count("SELECT count(*) FROM predictions");
        assertThat(predictions).as("predict writes nothing").isPositive();
    }

    @Test
    void predictNeedsThePremiumTier() {
        ApiClient.Response response = basic.post("/api/v1/predict", "{\"windows\": []}");
        assertThat(response.status()).isEqualTo(403);
        contract.assertValid("POST", "/api/v1/predict", response);
    }

    private static void assertBad(String body, String parameter, String detailPart) {
        long before = DB.count("SELECT count(*) FROM predictions");
        ApiClient.Response response = premium.post("/api/v1/predict", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        contract.assertValid("POST", "/api/v1/predict", response);
        assertThat(response.json().get("parameter").asText()).isEqualTo(parameter);
        assertThat(response.json().get("detail").asText()).contains(detailPart);
        assertThat(DB.count("SELECT count(*) FROM predictions")).isEqualTo(before);
    }

    private static ObjectNode window(String symbol, List<Bar> bars, double scale) {
        ObjectNode window = MAPPER.createObjectNode();
        window.put("symbol", symbol);
        ArrayNode list = window.putArray("bars");
        for (Bar bar : bars) {
            ObjectNode node = list.addObject();
            node.put("time", java.time.Instant.ofEpochMilli(bar.time()).toString());
            node.put("open", bar.open() * scale);
            node.put("high", bar.high() * scale);
            node.put("low", bar.low() * scale);
            node.put("close", bar.close() * scale);
            node.put("volume", bar.volume());
        }
        return window;
    }

    private static Double[] doubles(Object sqlArray) throws Exception {
        return (Double[]) ((Array) sqlArray).getArray();
    }

    private static void assertRelative(double actual, double expected) {
        assertThat(Math.abs(actual - expected))
                .as("%s vs %s", actual, expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected));
    }
}
