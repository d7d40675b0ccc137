package io.barcast.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.connectors.kafka.KafkaTopics;
import io.barcast.core.json.Json;
import io.barcast.core.model.ModelBundle;
import io.barcast.functions.models.OnnxModel;
import io.barcast.jobs.BarSources;
import io.barcast.jobs.FlinkSettings;
import io.barcast.jobs.Models;
import io.barcast.jobs.PipelineSettings;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.PredictionPipeline;
import io.barcast.jobs.ProductionSinks;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.InferenceOptions;
import io.barcast.jobs.options.KafkaOptions;
import io.barcast.jobs.options.PipelineOptions;
import io.barcast.jobs.options.RecoveryOptions;
import io.barcast.jobs.options.SourceOptions;
import io.barcast.jobs.options.SourceOptions.SourceKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code barcast bench}: pipeline throughput against raw ONNX Runtime throughput of the same model
 * on the same machine, in one run, so that the ratio means something on a shared machine.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures pipeline throughput against raw ONNX Runtime throughput.",
            "Replays SYMBOLS x BARS simulated bars as fast as possible through the pipeline into",
            "an embedded Kafka, and measures raw ONNX Runtime throughput of the same model with",
            "the same batch size and threads. Prints forecasts/s, the ratio pipeline/raw and the",
            "p50/p99 bar-to-forecast latency."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--symbols",
            defaultValue = "200",
            description = "Symbols (default ${DEFAULT-VALUE}).")
    int symbols;

    @Option(
            names = "--bars",
            defaultValue = "400",
            description = "Bars per symbol (default ${DEFAULT-VALUE}).")
    int bars;

    @Option(
            names = "--raw-seconds",
            defaultValue = "10",
            description = "How long to measure raw ONNX Runtime (default ${DEFAULT-VALUE}).")
    int rawSeconds;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        BarcastConfig config =
                settings.resolve(
                        Map.of(
                                SourceOptions.SOURCE.key(), SourceKind.SIMULATOR.value(),
                                SourceOptions.SIMULATOR_SYMBOLS.key(), Integer.toString(symbols),
                                SourceOptions.SIMULATOR_BARS_PER_SYMBOL.key(),
                                        Integer.toString(bars),
                                SourceOptions.SIMULATOR_SPEED.key(), "0",
                                PipelineOptions.PROMETHEUS_ENABLED.key(), "false"));
        PipelineSettings pipelineSettings = PipelineSettings.from(config);
        ModelBundle model = Models.defaultBundle(config);
        int batch = config.get(InferenceOptions.BATCH_SIZE);
        int threads = config.get(PipelineOptions.PARALLELISM);

        System.out.printf(
                "Raw ONNX Runtime: %d threads, one shared session, batch %d, %d s...%n",
                threads, batch, rawSeconds);
        double raw = rawThroughput(model, batch, threads, Duration.ofSeconds(rawSeconds));
        System.out.printf("  %,.0f sequences/s%n", raw);

        Path work = Files.createTempDirectory("barcast-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            BarcastConfig run =
                    config.with(
                            Map.of(
                                    KafkaOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
                                    RecoveryOptions.STATE_DIR.key(),
                                            work.resolve("state").toUri().toString()));
            String topic = run.get(KafkaOptions.TOPIC_PREDICTIONS);
            String deadLetterTopic = run.get(KafkaOptions.TOPIC_DEAD_LETTERS);
            KafkaTopics.ensure(
                    kafka.bootstrapServers(),
                    run.get(KafkaOptions.PARTITIONS),
                    PredictionJob.topics(run));
            System.out.printf(
                    "Pipeline: %d symbols x %d bars, parallelism %d...%n", symbols, bars, threads);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            FlinkSettings.inProcess(run));
            PredictionPipeline.define(
                    env,
                    BarSources.create(run),
                    ProductionSinks.kafkaOnly(run),
                    PipelineSettings.from(run));
            long start = System.nanoTime();
            env.execute("barcast-bench");
            double seconds = (System.nanoTime() - start) / 1e9;

            Measured measured = readForecasts(kafka.bootstrapServers(), topic);
            Map<String, Long> deadLetters =
                    readDeadLetters(kafka.bootstrapServers(), deadLetterTopic);
            double pipeline = measured.count / measured.spanSeconds;
            System.out.println();
            System.out.printf(
                    "forecasts            %,d (job wall time %.1f s)%n", measured.count, seconds);
            System.out.printf("pipeline forecasts/s %,.0f (first to last forecast)%n", pipeline);
            System.out.printf("raw ONNX sequences/s %,.0f%n", raw);
            System.out.printf("ratio pipeline/raw   %.2f%n", pipeline / raw);
            System.out.printf(
                    "bar-to-forecast latency p50 %d ms, p99 %d ms%n",
                    measured.percentile(0.50), measured.percentile(0.99));
            System.out.printf("mean inference batch %.1f%n", measured.meanBatch);
            long expected =
                    (long) symbols
                            * Math.max(0, bars - pipelineSettings.defaultSpec().barsNeeded() + 1);
            System.out.printf(
                    "expected forecasts   %,d; dead letters %,d %s%n",
                    expected,
                    deadLetters.values().stream().mapToLong(Long::longValue).sum(),
                    deadLetters);
        }
        return 0;
    }

    /** Sequences per second of {@code threads} callers sharing one session, batch by batch. */
    static double rawThroughput(ModelBundle bundle, int batch, int threads, Duration duration)
            throws Exception {
        try (OnnxModel model = new OnnxModel(bundle)) {
            AtomicLong sequences = new AtomicLong();
            long deadline = System.nanoTime() + duration.toNanos();
            List<Thread> workers = new ArrayList<>();
            List<Exception> errors = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker =
                        new Thread(
                                () -> {
                                    FloatBuffer windows =
                                            ByteBuffer.allocateDirect(
                                                            batch
                                                                    * model.windowSize()
                                                                    * Float.BYTES)
                                                    .order(ByteOrder.nativeOrder())
                                                    .asFloatBuffer();
                                    Random random = new Random(1);
                                    for (int i = 0; i < batch * model.windowSize(); i++) {
                                        windows.put(i, (float) random.nextGaussian());
                                    }
                                    try {
                                        for (int warm = 0; warm < 20; warm++) {
                                            model.predict(windows, batch);
                                        }
                                        while (System.nanoTime() < deadline) {
                                            model.predict(windows, batch);
                                            sequences.addAndGet(batch);
                                        }
                                    } catch (Exception e) {
                                        synchronized (errors) {
                                            errors.add(e);
                                        }
                                    }
                                });
                workers.add(worker);
            }
            long start = System.nanoTime();
            workers.forEach(Thread::start);
            for (Thread worker : workers) {
                worker.join();
            }
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
            return sequences.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Dead letters by reason. */
    private static Map<String, Long> readDeadLetters(String bootstrap, String topic)
            throws Exception {
        ObjectMapper mapper = Json.newMapper();
        Map<String, Long> reasons = new java.util.TreeMap<>();
        for (ConsumerRecord<String, String> record : readAll(bootstrap, topic)) {
            reasons.merge(mapper.readTree(record.value()).get("reason").asText(), 1L, Long::sum);
        }
        return reasons;
    }

    /** Every committed record of a topic, from the beginning to the end. */
    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        Properties properties = new Properties();
        properties.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.setProperty(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.setProperty(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
        }
        return records;
    }

    private static Measured readForecasts(String bootstrap, String topic) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        List<Long> latencies = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long batchSum = 0;
        for (ConsumerRecord<String, String> record : readAll(bootstrap, topic)) {
            JsonNode json = mapper.readTree(record.value());
            long predictedAt = json.get("predictedAt").asLong();
            latencies.add(predictedAt - json.get("receivedAt").asLong());
            first = Math.min(first, predictedAt);
            last = Math.max(last, predictedAt);
            batchSum += json.get("batchSize").asLong();
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double span = Math.max(0.001, (last - first) / 1000.0);
        return new Measured(
                sorted.length,
                span,
                sorted,
                sorted.length == 0 ? 0 : (double) batchSum / sorted.length);
    }

    private record Measured(long count, double spanSeconds, long[] latencies, double meanBatch) {
        long percentile(double p) {
            return latencies.length == 0
                    ? 0
                    : latencies[
                            (int) Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
        }
    }
}
