package io.barcast.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.barcast.api.ApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    record Bar(Instant time, double close) {}

    record Window(String symbol, List<Bar> bars) {}

    record Request(List<String> symbols, String detail, List<Window> windows) {}

    private final JsonBody body = new JsonBody(ApiServer.mapper(), 1_000);

    private ApiProblem refused(String json) {
        return catchThrowableOfType(
                ApiProblem.class,
                () -> body.parse(json.getBytes(StandardCharsets.UTF_8), Request.class));
    }

    @Test
    void readsARecordWithSnakeCaseNamesAndLeavesOutFieldsNull() {
        Request request =
                body.parse(
                        ("{\"symbols\": [\"AAPL\"], \"windows\": [{\"symbol\": \"X\", \"bars\":"
                                        + " [{\"time\": \"2026-01-05T14:30:00Z\", \"close\": 1.5}]}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        Request.class);
        assertThat(request.symbols()).containsExactly("AAPL");
        assertThat(request.detail()).isNull();
        assertThat(request.windows().get(0).bars().get(0).close()).isEqualTo(1.5);
    }

    @Test
    void namesTheElementOfTheWrongType() {
        ApiProblem problem = refused("{\"symbols\": [\"AAPL\", \"MSFT\", \"IBM\", 42]}");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.parameter()).isEqualTo("symbols[3]");
        assertThat(problem.getMessage()).isEqualTo("symbols[3] must be a string");
    }

    @Test
    void namesNestedFieldsByTheirPath() {
        ApiProblem problem =
                refused(
                        "{\"windows\": [{\"symbol\": \"X\", \"bars\": [{\"time\":"
                                + " \"2026-01-05T14:30:00Z\", \"close\": \"1.5\"}]}]}");
        assertThat(problem.parameter()).isEqualTo("windows[0].bars[0].close");
        assertThat(problem.getMessage()).contains("must be a number");

        ApiProblem badTime =
                refused("{\"windows\": [{\"bars\": [{\"time\": \"yesterday\", \"close\": 1}]}]}");
        assertThat(badTime.parameter()).isEqualTo("windows[0].bars[0].time");
        assertThat(badTime.getMessage()).contains("ISO-8601");
    }

    @Test
    void takesNoScalarForAnotherType() {
        assertThat(refused("{\"symbols\": \"AAPL\"}").parameter()).isEqualTo("symbols");
        assertThat(refused("{\"detail\": true}").parameter()).isEqualTo("detail");
        assertThat(refused("{\"detail\": {\"a\": 1}}").parameter()).isEqualTo("detail");
        assertThat(refused("{\"windows\": [{\"bars\": [{\"close\": \"\"}]}]}").parameter())
                .isEqualTo("windows[0].bars[0].close");
    }

    @Test
    void aNumberLeftOutIsRefusedByName() {
        ApiProblem problem =
                refused("{\"windows\": [{\"bars\": [{\"time\": \"2026-01-05T14:30:00Z\"}]}]}");
        assertThat(problem.parameter()).isEqualTo("windows[0].bars[0].close");
    }

    @Test
    void refusesUnknownFieldsByName() {
        ApiProblem problem = refused("{\"symbols\": [], \"detial\": \"full\"}");
        assertThat(problem.parameter()).isEqualTo("detial");
        assertThat(problem.getMessage()).contains("unknown field detial").contains("detail");
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        for (String json :
                List.of(
                        "{\"symbols\": [\"AAPL\"",
                        "{'symbols': []}",
                        "{\"symbols\": []} {}",
                        "{\"symbols\": [], \"symbols\": []}",
                        "[\"AAPL\"]",
                        "null",
                        "   ",
                        "\"AAPL\"")) {
            ApiProblem problem = refused(json);
            assertThat(problem.status()).as(json).isEqualTo(400);
            assertThat(problem.parameter()).as(json).isEqualTo("body");
        }
        assertThat(
                        catchThrowableOfType(
                                        ApiProblem.class,
                                        () -> body.parse(new byte[0], Request.class))
                                .parameter())
                .isEqualTo("body");
    }

    @Test
    void refusesABodyOverTheLimit() {
        ApiProblem problem = refused("{\"symbols\": [\"" + "A".repeat(1_000) + "\"]}");
        assertThat(problem.status()).isEqualTo(413);
    }
}
