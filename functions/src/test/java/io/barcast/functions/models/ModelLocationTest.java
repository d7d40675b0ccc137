package io.barcast.functions.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelLocationTest {

    @Test
    void travelsWithTheJobAndKeepsItsCalendars() throws Exception {
        ModelLocation location =
                ModelLocation.at("/opt/models").withRetireGrace(Duration.ofSeconds(5));

        ModelLocation copy = roundTrip(location);

        assertThat(copy.folder()).isEqualTo("/opt/models");
        assertThat(copy.retireGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(copy.calendarOf().calendarOf("X:BTCUSD")).isEqualTo("24x7");
        assertThat(copy.calendarOf().calendarOf("AAPL")).isEqualTo("XNYS");
        assertThat(
                        roundTrip(location.withCalendarOf(symbol -> "24x7"))
                                .calendarOf()
                                .calendarOf("AAPL"))
                .isEqualTo("24x7");
    }

    @Test
    void defaultsToAMinuteOfGraceAndTheBundledModelWithoutAFolder() {
        assertThat(ModelLocation.at("models").retireGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ModelLocation.bundled().folder()).isNull();
        assertThat(ModelLocation.bundled().key()).isEqualTo("classpath:models/default");
        assertThat(ModelLocation.at("models/./x/..").key())
                .isEqualTo(ModelLocation.at("models").key());
    }

    @Test
    void refusesANegativeGrace() {
        assertThatThrownBy(() -> ModelLocation.at("models").withRetireGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retireGrace must not be negative, got PT-1S");
    }

    private static ModelLocation roundTrip(ModelLocation location) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(location);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ModelLocation) in.readObject();
        }
    }
}
