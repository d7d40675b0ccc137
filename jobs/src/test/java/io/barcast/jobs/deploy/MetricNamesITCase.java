package io.barcast.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.export.ExportSettings;
import io.barcast.api.webhook.WebhookSettings;
import io.barcast.core.Bar;
import io.barcast.core.json.Json;
import io.barcast.core.testing.RealBars;
import io.barcast.jobs.PipelineTestSupport;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.api.ApiClient;
import io.barcast.jobs.api.TestApiSettings;
import io.barcast.jobs.local.BoundPrometheusReporterFactory;
import io.barcast.jobs.local.FreePorts;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name the alert rules and the Grafana dashboards query is one that barcast really
 * exports: the job runs on a MiniCluster with Flink's Prometheus reporter (job-level metrics with a
 * completed checkpoint, barcast's operator metrics from a live Kafka feed), and a real API serves
 * requests, a refused one, a webhook delivery and an export. Both endpoints are scraped over HTTP.
 * A metric renamed in the code, or a typo in a rule or a panel, fails here, where a rule would
 * otherwise just never fire.
 */
class MetricNamesITCase {

    private static final int REPORTER_PORT = FreePorts.onLoopback();

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineTestSupport.miniCluster(reporter());

    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final String PREFIX = "metricnames";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    /** The scrapes, kept for whoever reads a failure. */
    private static final Path SCRAPES = Path.of("target", "monitoring-scrapes");

    @TempDir static Path dir;

    private static HttpServer receiver;

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void everyMetricTheRulesAndDashboardsQueryIsExported() throws Exception {
        Map<String, Set<String>> used = MonitoringFiles.metricsUsed();
        assertThat(used).as("the rules and dashboards query metrics").isNotEmpty();
        Set<String> exported = new TreeSet<>(flinkMetricsOfARun(used));
        exported.addAll(apiMetricsOfARun());

        Map<String, Set<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exported);
        assertThat(missing)
                .as(
                        "metrics queried but not exported by the run (name -> where it is used);"
                                + " the scrapes are in %s",
                        SCRAPES.toAbsolutePath())
                .isEmpty();
    }

    /**
     * The job reads the real ETH bars from Kafka, a live source (so the tracker measures how late
     * each bar came: feedDelayMillis, and raises feed_lag alerts for these old bars), until every
     * Flink metric queried is there and a checkpoint has completed.
     */
    private static Set<String> flinkMetricsOfARun(Map<String, Set<String>> used) throws Exception {
        Map<String, String> settings =
                PipelineTestSupport.settings(DB, KAFKA, dir, dir.resolve("state"), PREFIX);
        settings.remove("replay.path");
        settings.put("source", "kafka");
        settings.put("kafka.topic.bars", PREFIX + ".bars");
        settings.put("kafka.partitions", "1");
        BarcastConfig config = BarcastConfig.of(settings);
        PredictionJob.prepareExternalSystems(config);
        ObjectMapper mapper = Json.newMapper();
        List<Map.Entry<String, String>> bars = new ArrayList<>();
        for (Bar bar : RealBars.eth15m()) {
            bars.add(new AbstractMap.SimpleEntry<>(bar.symbol(), mapper.writeValueAsString(bar)));
        }
        // one that is no bar: the dead-letter path runs too
        bars.add(new AbstractMap.SimpleEntry<>("X:ETHUSD", "{\"symbol\": oops}"));
        KAFKA.produce(PREFIX + ".bars", bars);

        Set<String> flinkNames = new TreeSet<>(used.keySet());
        flinkNames.removeIf(name -> !name.startsWith("flink_"));
        StreamExecutionEnvironment env = PipelineTestSupport.environment(config);
        PredictionJob.define(env, config);
        JobClient job = env.executeAsync("barcast-metric-names");
        String[] scrape = {""};
        try {
            await().atMost(RUN_TIMEOUT)
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast(
                            "the job stopped", () -> job.getJobStatus().get() != JobStatus.RUNNING)
                    .until(
                            () -> {
                                scrape[0] = get("http://127.0.0.1:" + REPORTER_PORT + "/metrics");
                                Set<String> names = PrometheusText.sampleNames(scrape[0]);
                                return names.containsAll(flinkNames)
                                        && PrometheusText.value(
                                                        scrape[0],
                                                        "flink_jobmanager_job_numberOfCompletedCheckpoints")
                                                >= 1
                                        && PrometheusText.value(
                                                        scrape[0],
                                                        "flink_taskmanager_job_task_operator_forecastsOut")
                                                >= 1;
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertion below names what is missing
        } finally {
            keep("flink.txt", scrape[0]);
            if (job.getJobStatus().get() == JobStatus.RUNNING) {
                job.cancel().get();
            }
        }
        assertThat(
                        PrometheusText.value(
                                scrape[0], "flink_jobmanager_job_numberOfCompletedCheckpoints"))
                .as("a checkpoint completed during the run")
                .isGreaterThanOrEqualTo(1);
        return PrometheusText.sampleNames(scrape[0]);
    }

    /**
     * A real API over the job's database and topics. Counters with labels appear only once a label
     * value was seen, so the run makes each happen: requests, a 429, a webhook delivery (the
     * webhook's test event, to a receiver on this machine) and a finished export.
     */
    private static Set<String> apiMetricsOfARun() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext(
                "/hook",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.start();
        ApiSettings settings =
                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                        .topics(
                                new ApiTopics(
                                        PREFIX + ".predictions",
                                        PREFIX + ".recommendations",
                                        PREFIX + ".validations",
                                        PREFIX + ".alerts",
                                        PREFIX + ".trade-outcomes",
                                        PREFIX + ".retrain-requests"))
                        .webhooks(WebhookSettings.defaults().withAllowedHosts(List.of("127.0.0.1")))
                        .exports(new ExportSettings(dir.resolve("exports"), 1, Duration.ofHours(1)))
                        .build()
                        .withLimits(
                                Map.of(
                                        Tier.DEFAULT,
                                        2,
                                        Tier.PREMIUM,
                                        1_000_000,
                                        Tier.ADMIN,
                                        1_000_000));
        try (ApiServer server = new ApiServer(settings).start()) {
            ApiKeys keys = new ApiKeys(server.context().db());
            ApiClient premium =
                    new ApiClient(server.url(), keys.create("ops", Tier.PREMIUM).secret());
            ApiClient limited = premium.withKey(keys.create("small", Tier.DEFAULT).secret());

            assertThat(premium.get("/api/v1/predictions").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> limited.get("/api/v1/status").status() == 429);

            ApiClient.Response webhook =
                    premium.post(
                            "/api/v1/webhooks",
                            "{\"url\": \"http://127.0.0.1:"
                                    + receiver.getAddress().getPort()
                                    + "/hook\", \"event_types\": [\"alert\"]}");
            assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
            String webhookId = webhook.json().get("webhook_id").asText();
            ApiClient.Response test = premium.post("/api/v1/webhooks/" + webhookId + "/test", "");
            assertThat(test.status() / 100).as(test.toString()).isEqualTo(2);

            ApiClient.Response export =
                    premium.post("/api/v1/exports", "{\"kind\":\"bars\",\"format\":\"csv\"}");
            assertThat(export.status() / 100).as(export.toString()).isEqualTo(2);

            String[] scrape = {""};
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    scrape[0] = premium.get("/metrics").body();
                                    return scrape[0].contains(
                                                    "barcast_webhook_deliveries_total{outcome=\"delivered\"}")
                                            && scrape[0].contains(
                                                    "barcast_api_exports_total{format=\"csv\",state=\"done\"}");
                                });
            } finally {
                keep("api.txt", scrape[0]);
            }
            return PrometheusText.sampleNames(scrape[0]);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void keep(String name, String scrape) throws IOException {
        Files.createDirectories(SCRAPES);
        Files.writeString(SCRAPES.resolve(name), scrape);
    }

    private static Configuration reporter() {
        Configuration flink = new Configuration();
        flink.setString(
                "metrics.reporter.prom.factory.class",
                BoundPrometheusReporterFactory.class.getName());
        flink.setString("metrics.reporter.prom.host", "127.0.0.1");
        flink.setString("metrics.reporter.prom.port", Integer.toString(REPORTER_PORT));
        return flink;
    }
}
