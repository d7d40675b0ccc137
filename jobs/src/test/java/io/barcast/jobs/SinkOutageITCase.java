package io.barcast.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.JobHealth;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TopicReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systems the job writes to go away in the middle of a paced replay and come back: PostgreSQL
 * stops for a minute, later the Kafka broker restarts. With the production restart strategy the job
 * fails over until they are back, resumes from its checkpoints and runs to the end by itself; the
 * table and the read_committed topic then hold every forecast exactly once.
 */
class SinkOutageITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster();

    /** What the job must outlast: several restarts with a doubling wait, none of them lucky. */
    private static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(60);

    /**
     * Wall-clock length of the replay without outages. The first forecast needs 84 of the 193 bars,
     * so forecasts flow from about the middle on; the outages fall after that.
     */
    private static final Duration REPLAY_LENGTH = Duration.ofSeconds(50);

    /** Forecasts in the table before PostgreSQL stops: checkpoints then hold forecasting state. */
    private static final int FORECASTS_BEFORE_OUTAGE = 10;

    /**
     * Longest a restart may keep the job waiting once the systems are back: the default
     * restart.max-delay (1 min), twice over for a restart that came just too early, and a margin.
     */
    private static final Duration RESUME_TIMEOUT = Duration.ofMinutes(3);

    @TempDir static Path dir;

    private static LocalPostgres postgres;
    private static EmbeddedKafka kafka;

    @AfterAll
    static void stopServers() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void writesEveryForecastOnceThroughADatabaseOutageAndABrokerRestart(
            @InjectClusterClient RestClusterClient<?> cluster) throws Exception {
        // fixed data folders and ports, so that each can be stopped and started again in place
        Path postgresData = dir.resolve("postgres");
        Path kafkaData = dir.resolve("kafka");
        postgres = LocalPostgres.start(postgresData, 0);
        int postgresPort = postgres.port();
        kafka = EmbeddedKafka.start(kafkaData, 0);
        String bootstrapServers = kafka.bootstrapServers();
        int kafkaPort =
                Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));

        List<Bar> eth = RealBars.eth15m();
        // only the bars: pacing starts at the earliest line, and the bad lines lie days before them
        Path input = PipelineTestSupport.writeEthBars(dir);
        Map<String, String> settings =
                PipelineTestSupport.settings(
                        postgres.jdbcUrl(),
                        postgres.user(),
                        postgres.password(),
                        bootstrapServers,
                        input,
                        dir.resolve("state"),
                        "outage");
        long span = eth.get(eth.size() - 1).time() - eth.get(0).time();
        settings.put("replay.speed", Double.toString((double) span / REPLAY_LENGTH.toMillis()));
        // restart.* keep their defaults: the strategy under test is the one production runs
        BarcastConfig config = BarcastConfig.of(settings);
        int expected = eth.size() - PipelineTestSupport.BARS_BEFORE_FIRST_FORECAST + 1;

        PredictionJob.prepareExternalSystems(config);
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        JobClient job = env.executeAsync("barcast-sink-outage");
        JobHealth health = new JobHealth(cluster.getWebInterfaceURL(), job.getJobID().toString());

        await("forecasts before the outage")
                .atMost(REPLAY_LENGTH.plusMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM predictions") >= FORECASTS_BEFORE_OUTAGE);
        long beforeOutage = count("SELECT count(*) FROM predictions");
        assertThat(beforeOutage)
                .as("PostgreSQL stops in the middle of the run")
                .isLessThan(expected);

        long stoppedAt = System.nanoTime();
        postgres.close();
        await("a restart while PostgreSQL is down")
                .atMost(POSTGRES_OUTAGE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health.read().restarts() > 0);
        long outageLeft = POSTGRES_OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
        TimeUnit.NANOSECONDS.sleep(Math.max(outageLeft, 0));
        postgres = LocalPostgres.start(postgresData, postgresPort);
        // what the job wrote up to the moment it lost the database: it can write more only
        // once it runs again
        long beforeResume = count("SELECT count(*) FROM predictions");

        await("the job writing again after PostgreSQL is back")
                .atMost(RESUME_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () ->
                                job.getJobStatus().get() == JobStatus.RUNNING
                                        && count("SELECT count(*) FROM predictions")
                                                > beforeResume);
        long restarts = health.read().restarts();

        long beforeBrokerRestart = count("SELECT count(*) FROM predictions");
        assertThat(beforeBrokerRestart)
                .as("the broker restarts in the middle of the run")
                .isLessThan(expected);
        kafka.close();
        kafka = EmbeddedKafka.start(kafkaData, kafkaPort);

        job.getJobExecutionResult().get(RESUME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(job.getJobStatus().get())
                .as("the job ran to the end by itself")
                .isEqualTo(JobStatus.FINISHED);
        assertThat(restarts).as("numRestarts once PostgreSQL was back").isPositive();

        assertThat(count("SELECT count(*) FROM bars")).isEqualTo(eth.size());
        assertThat(count("SELECT count(*) FROM predictions")).isEqualTo(expected);
        assertThat(count("SELECT count(DISTINCT as_of) FROM predictions"))
                .as("one forecast per bar from the 84th on")
                .isEqualTo(expected);
        List<String> inTable = predictionIds();

        List<ConsumerRecord<String, String>> records =
                new TopicReader(bootstrapServers)
                        .read("outage.predictions", true, expected, Duration.ofSeconds(60));
        ObjectMapper mapper = Json.newMapper();
        List<String> onTopic = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            onTopic.add(mapper.readTree(record.value()).get("id").asText());
        }
        assertThat(onTopic)
                .as("each forecast once on the read_committed topic")
                .hasSize(expected)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(inTable);
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<String> predictionIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT prediction_id FROM predictions")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}
