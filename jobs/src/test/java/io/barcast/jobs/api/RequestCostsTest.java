package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.api.limits.RequestCosts;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;

/** The tokens each call takes, looked up by method and route template as the limits do. */
class RequestCostsTest {

    @Test
    void aBatchCostsFiveAndAPredictionTen() {
        assertThat(RequestCosts.of(HandlerType.POST, "/api/v1/predictions/batch")).isEqualTo(5);
        assertThat(RequestCosts.of(HandlerType.POST, "/api/v1/predict")).isEqualTo(10);
    }

    @Test
    void everyOtherCallCostsOne() {
        assertThat(RequestCosts.of(HandlerType.GET, "/api/v1/predictions/{symbol}")).isEqualTo(1);
        assertThat(RequestCosts.of(HandlerType.GET, "/api/v1/status")).isEqualTo(1);
        assertThat(RequestCosts.of(HandlerType.POST, "/api/v1/repredictions")).isEqualTo(1);
        // the method is part of the route: no GET of the batch path is the batch call
        assertThat(RequestCosts.of(HandlerType.GET, "/api/v1/predictions/batch")).isEqualTo(1);
        // the template, not a raw path: a symbol named "batch" is a single read
        assertThat(RequestCosts.of(HandlerType.POST, "/api/v1/predictions/{symbol}")).isEqualTo(1);
    }
}
