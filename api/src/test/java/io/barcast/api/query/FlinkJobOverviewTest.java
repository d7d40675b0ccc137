package io.barcast.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FlinkJobOverviewTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode jobs(String... jobs) throws Exception {
        return MAPPER.readTree("[" + String.join(",", jobs) + "]");
    }

    private static String job(String id, String state, long start) {
        return "{\"jid\": \""
                + id
                + "\", \"name\": \"job "
                + id
                + "\", \"state\": \""
                + state
                + "\", \"start-time\": "
                + start
                + "}";
    }

    @Test
    void aJobStillRunningBeatsOnesThatEndedLater() throws Exception {
        FlinkJobOverview.Job job =
                FlinkJobOverview.pick(
                        jobs(
                                job("a", "FINISHED", 3_000),
                                job("b", "RUNNING", 1_000),
                                job("c", "CANCELED", 4_000)));
        assertThat(job)
                .isEqualTo(
                        new FlinkJobOverview.Job(
                                "RUNNING", "job b", "b", Instant.ofEpochMilli(1_000)));
    }

    @Test
    void ofJobsAlikeTheOneStartedLastIsShown() throws Exception {
        assertThat(
                        FlinkJobOverview.pick(
                                        jobs(
                                                job("a", "FAILED", 3_000),
                                                job("b", "FINISHED", 5_000),
                                                job("c", "CANCELED", 4_000)))
                                .id())
                .isEqualTo("b");
        assertThat(
                        FlinkJobOverview.pick(
                                        jobs(
                                                job("a", "RUNNING", 3_000),
                                                job("b", "RESTARTING", 5_000)))
                                .state())
                .isEqualTo("RESTARTING");
    }

    @Test
    void noJobIsStateNone() throws Exception {
        assertThat(FlinkJobOverview.pick(jobs()))
                .isEqualTo(new FlinkJobOverview.Job("none", null, null, null));
        assertThat(FlinkJobOverview.pick(jobs(job("a", "INITIALIZING", -1))).startTime()).isNull();
    }
}
