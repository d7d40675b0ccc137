package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.DeadLetter;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that used to stop the job for good, through the production topology with no restarts
 * allowed: each lands in the dead letters with its reason, every good bar around it is forecast,
 * and the job never restarts (with {@code restart.attempts=0} any failure would fail it).
 */
class PoisonRecordsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final int EXPECTED =
            RealBars.eth15m().size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;

    /** A bar PostgreSQL refuses by a rule no edge check knows: the check constraint below. */
    private static final double REFUSED_VOLUME = 12_345.0;

    @TempDir Path dir;

    @Test
    void aReplayOfPoisonLinesRunsToTheEndWithEveryGoodBarForecast() throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<Bar> eth = RealBars.eth15m();
        long t = eth.get(100).time();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < eth.size(); i++) {
            line(file, mapper.writeValueAsString(eth.get(i)));
            if (i == 50) {
                // a NUL in the symbol: valid JSON, refused by PostgreSQL in any text column
                line(file, bar("AB\\u0000C", t, 1));
                // a NUL byte in a line that is no JSON: in the reason and the payload
                line(file, "X:ETHUSD,\u0000,junk");
                // a symbol of 40 KB: over PostgreSQL's btree entry limit
                line(file, bar("Z".repeat(40_000), t, 1));
                // a line of 5 MB
                line(file, "{\"symbol\":\"X:ETHUSD\",\"pad\":\"" + "x".repeat(5 << 20) + "\"}");
                // bytes that are not UTF-8
                file.write(new byte[] {'{', '"', 's', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
                // a bar from 2099
                line(
                        file,
                        bar("X:ETHUSD", Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(), 1));
                // a bar the database refuses by a rule the checks do not know
                line(file, bar("X:REFUSED", t, REFUSED_VOLUME));
            }
        }
        Path input = dir.resolve("poison.jsonl");
        Files.write(input, file.toByteArray());
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, input, dir.resolve("state"), "poison");
        settings.put("restart.attempts", "0");
        BarcastConfig config = BarcastConfig.of(settings);
        PredictionJob.prepareExternalSystems(config);
        DB.execute(
                "ALTER TABLE bars ADD CONSTRAINT poison_volume CHECK (volume <> "
                        + REFUSED_VOLUME
                        + ")");
        try {
            StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
            PredictionJob.define(env, config);
            JobClient job = env.executeAsync("barcast-poison");
            job.getJobExecutionResult().get();

            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
        } finally {
            DB.execute("ALTER TABLE bars DROP CONSTRAINT poison_volume");
        }

        assertThat(DB.count("SELECT count(*) FROM predictions WHERE symbol = 'X:ETHUSD'"))
                .isEqualTo(EXPECTED);
        assertDeadLetter("sanitize", "symbol 'AB\uFFFDC' is not 1 to 32 characters");
        assertDeadLetter("sanitize", "symbol 'ZZZZ");
        assertDeadLetter("parse", "poison.jsonl:");
        assertDeadLetter("sanitize", "2099-01-01T00:00:00Z ends more than 1h after the clock");
        assertDeadLetter("sink", "poison_volume");
        // the 5 MB line and the bytes that are not UTF-8 are dead letters of their own
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM dead_letters WHERE stage = 'parse' AND"
                                        + " reason LIKE '%poison.jsonl:%'"))
                .isGreaterThanOrEqualTo(3);
        assertThat(
                        DB.count(
                                "SELECT max(length(payload)) FROM dead_letters WHERE stage ="
                                        + " 'parse'"))
                .isLessThanOrEqualTo(DeadLetter.MAX_PAYLOAD_CHARS);
    }

    @Test
    void kafkaTombstonesUndecodableAndFutureRecordsLeaveTheJobRunning() throws Exception {
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, dir, dir.resolve("state"), "kpoison");
        settings.remove("replay.path");
        settings.put("source", "kafka");
        settings.put("kafka.topic.bars", "kpoison.bars");
        settings.put("kafka.partitions", "1");
        settings.put("restart.attempts", "0");
        BarcastConfig config = BarcastConfig.of(settings);
        PredictionJob.prepareExternalSystems(config);
        ObjectMapper mapper = Json.newMapper();
        List<Bar> eth = RealBars.eth15m().stream().map(b -> b.withSymbol("x:ethkafka")).toList();
        List<ProducerRecord<byte[], byte[]>> bars = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> requests = new ArrayList<>();
        for (int i = 0; i < eth.size(); i++) {
            bars.add(record("kpoison.bars", mapper.writeValueAsString(eth.get(i))));
            if (i == 10) {
                bars.add(
                        record(
                                "kpoison.bars",
                                bar(
                                        "X:ETHKAFKA",
                                        Instant.parse("2099-01-01T00:00:00Z").toEpochMilli(),
                                        1)));
                bars.add(
                        new ProducerRecord<>(
                                "kpoison.bars", "k".getBytes(StandardCharsets.UTF_8), null));
                bars.add(
                        new ProducerRecord<>(
                                "kpoison.bars", null, new byte[] {(byte) 0xFF, (byte) 0xFE}));
            }
        }
        requests.add(
                new ProducerRecord<>(
                        "kpoison.repredictions", "k".getBytes(StandardCharsets.UTF_8), null));
        requests.add(
                new ProducerRecord<>(
                        "kpoison.repredictions", null, new byte[] {(byte) 0xC3, (byte) 0x28}));
        requests.add(record("kpoison.repredictions", "{\"symbol\":\"AB\\u0000C\"}"));
        requests.add(
                record("kpoison.repredictions", "{\"symbol\":\"X:ETHKAFKA\",\"id\":\"no-uuid\"}"));

        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        JobClient job = env.executeAsync("barcast-kafka-poison");
        try {
            send(bars);
            // the bars' forecasts (the loop may add answers to barcast's own requests)
            String where = " WHERE symbol = 'X:ETHKAFKA'";
            // the requests' source starts at the topic's end once the job runs
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> DB.count("SELECT count(*) FROM predictions" + where) > 0);
            send(requests);
            await().atMost(Duration.ofMinutes(3))
                    .failFast(
                            "the job stopped", () -> job.getJobStatus().get() != JobStatus.RUNNING)
                    .until(
                            () ->
                                    DB.count(
                                                            "SELECT count(*) FROM predictions"
                                                                    + where
                                                                    + " AND reason = 'new_bar'")
                                                    == EXPECTED
                                            && DB.count(
                                                            "SELECT count(*) FROM dead_letters"
                                                                    + " WHERE stage ="
                                                                    + " 'reprediction'")
                                                    >= 4);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            stopOrExplain(job);
        }
        assertDeadLetter(
                "sanitize", "a bar from the future (time.max-ahead) (kafka:kpoison.bars/0@");
        assertDeadLetter(
                "parse",
                "a tombstone (a record without a value) is not a message (kafka:kpoison.bars/0@");
        assertDeadLetter("parse", "not valid UTF-8 at byte 0 of 2 (kafka:kpoison.bars/0@");
        assertDeadLetter(
                "reprediction",
                "a tombstone (a record without a value) is not a message (kafka:kpoison.repredictions/");
        assertDeadLetter(
                "reprediction", "not valid UTF-8 at byte 0 of 2 (kafka:kpoison.repredictions/");
        assertDeadLetter("reprediction", "symbol 'AB\uFFFDC' is not 1 to 32 characters");
        assertDeadLetter("reprediction", "id 'no-uuid' is not a UUID");
    }

    /** Cancels a running job; a job that failed is reported with its cause. */
    private static void stopOrExplain(JobClient job) throws Exception {
        if (job.getJobStatus().get() == JobStatus.RUNNING) {
            job.cancel().get();
            return;
        }
        try {
            job.getJobExecutionResult().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("the job failed: " + rootCause(e), e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    private static void assertDeadLetter(String stage, String reasonPart) {
        assertThat(
                        DB.count(
                                "SELECT count(*) FROM dead_letters WHERE stage = ? AND"
                                        + " strpos(reason, ?) > 0",
                                stage,
                                reasonPart))
                .as(
                        "a dead letter of stage %s saying %s; there are: %s",
                        stage,
                        reasonPart,
                        DB.query("SELECT stage, left(reason, 160) AS reason FROM dead_letters"))
                .isPositive();
    }

    private static String bar(String symbol, long time, double volume) {
        return "{\"symbol\":\""
                + symbol
                + "\",\"t\":"
                + time
                + ",\"o\":10,\"h\":11,\"l\":9,\"c\":10.5,\"v\":"
                + volume
                + "}";
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }
}
