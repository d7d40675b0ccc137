package io.barcast.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.ApiTopics;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.webhook.WebhookDispatcher;
import io.barcast.api.webhook.WebhookSettings;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.sql.SchemaMigrations;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code barcast webhook-bench}: webhook deliveries through the whole path. N webhooks on a local
 * receiver (JDK HTTP server, which checks every signature) subscribe to predictions; M prediction
 * records are committed to the topic in transactions of 100; the API's dispatcher turns them into N
 * x M delivery rows and its senders deliver them. Prints deliveries/s and the delay from each
 * transaction's commit to the receiver, p50/p99. Everything runs in this JVM on this machine.
 */
@Command(
        name = "webhook-bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures webhook deliveries/s and the delay from Kafka commit to the receiver",
            "(p50/p99), topic -> dispatcher -> deliveries table -> senders -> a local receiver",
            "that verifies every signature."
        })
final class WebhookBenchCommand implements Callable<Integer> {

    private static final int TRANSACTION = 100;

    @Option(
            names = "--webhooks",
            defaultValue = "10",
            description = "Webhooks, each receiving every event (default ${DEFAULT-VALUE}).")
    int webhooks;

    @Option(
            names = "--events",
            defaultValue = "2000",
            description = "Prediction records committed (default ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--senders",
            defaultValue = "16",
            description = "api.webhooks.senders: attempts in flight (default ${DEFAULT-VALUE}).")
    int senders;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("barcast-webhook-bench-");
        ExecutorService receiverThreads = Executors.newFixedThreadPool(16);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        Map<String, byte[]> keys = new ConcurrentHashMap<>();
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        long[] commitNanos = new long[(events + TRANSACTION - 1) / TRANSACTION];
        AtomicInteger rejected = new AtomicInteger();
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook/", exchange -> receive(exchange, keys, arrivals, rejected));
        receiver.start();
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0);
                EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            SchemaMigrations.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
            ApiTopics topics = ApiTopics.defaults();
            kafka.createTopics(
                    4,
                    topics.predictions(),
                    topics.recommendations(),
                    topics.validations(),
                    topics.alerts(),
                    topics.tradeOutcomes(),
                    topics.retrainRequests());
            ApiSettings settings =
                    ApiSettings.defaults(
                                    postgres.jdbcUrl(),
                                    postgres.user(),
                                    postgres.password(),
                                    kafka.bootstrapServers())
                            .toBuilder()
                            .dbPoolSize(senders + 4)
                            .webhooks(
                                    new WebhookSettings(
                                            List.of("127.0.0.1"),
                                            Duration.ofSeconds(10),
                                            8,
                                            Duration.ofHours(24),
                                            senders,
                                            webhooks,
                                            Duration.ofDays(7),
                                            Duration.ofSeconds(1)))
                            .build();
            try (ApiServer server = new ApiServer(settings).start()) {
                String key =
                        new ApiKeys(server.context().db()).create("bench", Tier.DEFAULT).secret();
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/";
                for (int i = 0; i < webhooks; i++) {
                    String body =
                            "{\"url\": \"" + base + i + "\", \"event_types\": [\"prediction\"]}";
                    HttpResponse<String> created =
                            http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(server.url() + "/api/v1/webhooks"))
                                            .header("X-API-Key", key)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    String secret = mapper.readTree(created.body()).get("secret").asText();
                    keys.put(Integer.toString(i), Base64.getDecoder().decode(secret.substring(6)));
                }
                awaitReady(kafka.bootstrapServers(), server);
                System.out.printf(
                        "%d webhooks x %d events = %d deliveries, %d senders%n",
                        webhooks, events, (long) webhooks * events, senders);
                Properties props = new Properties();
                props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "webhook-bench");
                long start;
                try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(
                                props, new StringSerializer(), new StringSerializer())) {
                    producer.initTransactions();
                    start = System.nanoTime();
                    for (int t = 0; t < commitNanos.length; t++) {
                        producer.beginTransaction();
                        for (int i = t * TRANSACTION;
                                i < Math.min(events, (t + 1) * TRANSACTION);
                                i++) {
                            String symbol = "SYM" + (i % 50);
                            producer.send(
                                    new ProducerRecord<>(
                                            topics.predictions(),
                                            symbol,
                                            "{\"id\":\"e"
                                                    + i
                                                    + "\",\"batch\":"
                                                    + t
                                                    + ",\"symbol\":\""
                                                    + symbol
                                                    + "\",\"reason\":\"new_bar\","
                                                    + "\"confidence\":0.8,\"prices\":[1.0,2.0]}"));
                        }
                        producer.commitTransaction();
                        commitNanos[t] = System.nanoTime();
                    }
                }
                long expected = (long) webhooks * events;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (arrivals.size() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long end =
                        arrivals.values().stream().mapToLong(Long::longValue).max().orElse(start);
                double[] delays = new double[arrivals.size()];
                int n = 0;
                for (Map.Entry<String, Long> arrival : arrivals.entrySet()) {
                    int batch =
                            Integer.parseInt(
                                    arrival.getKey().substring(arrival.getKey().indexOf('|') + 1));
                    delays[n++] = (arrival.getValue() - commitNanos[batch]) / 1e6;
                }
                Arrays.sort(delays);
                double seconds = (end - start) / 1e9;
                System.out.printf(
                        "delivered %d of %d (distinct messages), %d rejected by the receiver%n",
                        arrivals.size(), expected, rejected.get());
                System.out.printf(
                        "| deliveries/s | delay from commit p50 ms | p99 ms | wall s |%n"
                                + "|---|---|---|---|%n| %,.0f | %.0f | %.0f | %.1f |%n",
                        arrivals.size() / seconds,
                        percentile(delays, 0.50),
                        percentile(delays, 0.99),
                        seconds);
                return arrivals.size() == expected && rejected.get() == 0 ? 0 : 1;
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    private void receive(
            HttpExchange exchange,
            Map<String, byte[]> keys,
            Map<String, Long> arrivals,
            AtomicInteger rejected)
            throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            long now = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            byte[] key = keys.get(path.substring(path.lastIndexOf('/') + 1));
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (key == null
                    || id == null
                    || timestamp == null
                    || signature == null
                    || !verified(key, id, timestamp, body, signature)) {
                rejected.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode data = mapper.readTree(body).get("data");
            arrivals.putIfAbsent(id + "|" + data.get("batch").asInt(), now);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** The Standard Webhooks check, as a receiver would write it. */
    private static boolean verified(
            byte[] key, String id, String timestamp, byte[] body, String signatures) {
        try {
            if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,")
                        && MessageDigest.isEqual(
                                expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Until the dispatcher has a committed start on every partition and knows every webhook. */
    private void awaitReady(String bootstrap, ApiServer server) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        HttpClient http = HttpClient.newHttpClient();
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < deadline) {
                Set<?> partitions =
                        admin.listConsumerGroupOffsets(WebhookDispatcher.GROUP)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .keySet();
                String metrics =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(server.url() + "/metrics"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                if (partitions.size() == 24
                        && metrics.contains("barcast_webhook_endpoints " + webhooks + ".0")) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the webhook dispatcher did not start within a minute");
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
