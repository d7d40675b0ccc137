package io.barcast.connectors.polygon.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.barcast.connectors.polygon.ApiKey;
import io.barcast.core.Bar;
import io.barcast.core.IncomingBar;
import io.barcast.core.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AggregatesPageTest {

    private static AggregatesPage parse(String body) {
        return AggregatesPage.parse(Json.newMapper(), body, "AAPL", "polygon:test");
    }

    @Test
    void readsResultsAndNextUrl() {
        AggregatesPage page =
                parse(
                        "{\"ticker\":\"AAPL\",\"queryCount\":2,\"resultsCount\":2,\"adjusted\":true,"
                                + "\"results\":[{\"v\":100,\"vw\":10.5,\"o\":10,\"c\":11,\"h\":12,"
                                + "\"l\":9,\"t\":1763650800000,\"n\":7},{\"v\":5,\"o\":1,\"c\":1,"
                                + "\"h\":1,\"l\":1}],\"status\":\"DELAYED\",\"request_id\":\"a1\","
                                + "\"count\":2,\"next_url\":\"https://api.polygon.io/v2/x?cursor=YQ\"}");

        assertThat(page.results().get(0))
                .isEqualTo(
                        IncomingBar.parsed(
                                "polygon:test",
                                new Bar("AAPL", 1763650800000L, 10, 12, 9, 11, 100, 10.5, 7L)));
        assertThat(page.results().get(1).isParsed()).isFalse();
        assertThat(page.results().get(1).problem()).contains("no time t");
        assertThat(page.nextUrl()).isEqualTo("https://api.polygon.io/v2/x?cursor=YQ");
    }

    @Test
    void anEmptyRangeHasNoResults() {
        AggregatesPage page =
                parse(
                        "{\"ticker\":\"AAPL\",\"queryCount\":0,\"resultsCount\":0,\"adjusted\":true,"
                                + "\"status\":\"OK\",\"request_id\":\"b2\",\"count\":0}");
        assertThat(page.results()).isEmpty();
        assertThat(page.nextUrl()).isNull();
    }

    @Test
    void rejectsBodiesThatAreNotAggregates() {
        assertThatThrownBy(() -> parse("{\"ticker\":\"AAPL\",\"results\":[{\"v\":1"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("{\"status\":\"ERROR\",\"error\":\"bad\"}"))
                .hasMessageContaining("'ERROR': bad");
        assertThatThrownBy(() -> parse("{\"status\":\"OK\",\"results\":{}}"))
                .hasMessageContaining("not an array");
    }

    @Test
    void followsNextUrlOnlyOnTheConfiguredServer() {
        PolygonRestClient client =
                new PolygonRestClient(
                        "https://api.polygon.io",
                        new ApiKey("k"),
                        Duration.ofSeconds(1),
                        PolygonRestClient.newHttpClient(Duration.ofSeconds(1), Runnable::run));
        assertThat(client.nextPage("https://api.polygon.io/v2/aggs?cursor=x")).isPresent();
        assertThat(client.nextPage("https://evil.example/v2/aggs?cursor=x")).isEmpty();
        assertThat(client.nextPage("http://api.polygon.io/v2/aggs")).isEmpty();
        assertThat(client.aggregatesUri("X:BTCUSD", 15, 1, 2).toString())
                .isEqualTo(
                        "https://api.polygon.io/v2/aggs/ticker/X:BTCUSD/range/15/minute/1/2"
                                + "?adjusted=true&sort=asc&limit=50000");
    }
}
