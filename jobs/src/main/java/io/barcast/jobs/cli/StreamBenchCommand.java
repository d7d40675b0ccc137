package io.barcast.jobs.cli;

import io.barcast.api.ApiServer;
import io.barcast.api.ApiSettings;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.stream.StreamSettings;
import io.barcast.jobs.PredictionJob;
import io.barcast.jobs.local.ApiSetup;
import io.barcast.jobs.local.EmbeddedKafka;
import io.barcast.jobs.local.LocalPostgres;
import io.barcast.jobs.options.BarcastConfig;
import io.barcast.jobs.options.JdbcOptions;
import io.barcast.jobs.options.KafkaOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code barcast stream-bench}: live streams under load. One API instance over an embedded
 * PostgreSQL and Kafka serves CLIENTS server-sent event streams of forecasts while a producer
 * commits records transactionally, one a transaction, at RATE a second; each record carries its
 * sequence number, and the time its commit was asked for is kept in this process, so each client's
 * receipt gives the delay from the commit. The clients are one thread of non-blocking sockets
 * (direct buffers), so the heap and threads measured are the server's (with the embedded broker's,
 * subtracted as the baseline).
 */
@Command(
        name = "stream-bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures live streams: CLIENTS server-sent event clients of one API instance, fed",
            "by transactional commits at RATE a second; prints the server's heap after GC and",
            "threads, the delay from commit to each client's receipt, and events/s delivered."
        })
final class StreamBenchCommand implements Callable<Integer> {

    private static final String PATH = "/api/v1/stream/predictions";
    private static final int SYMBOLS = 20;

    @Option(
            names = "--clients",
            defaultValue = "1000",
            description = "Concurrent SSE clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--rate",
            defaultValue = "20",
            description = "Records committed a second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "Seconds of commits (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--record-bytes",
            defaultValue = "1024",
            description = "Size of each record's JSON (default ${DEFAULT-VALUE}).")
    int recordBytes;

    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || rate < 1 || seconds < 1 || recordBytes < 64) {
            throw new IllegalArgumentException(
                    "--clients, --rate and --seconds must be positive, --record-bytes at least 64");
        }
        Path work = Files.createTempDirectory("barcast-stream-bench-");
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0);
                EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            BarcastConfig config =
                    settings.resolve(
                            Map.of(
                                    JdbcOptions.URL.key(), postgres.jdbcUrl(),
                                    JdbcOptions.USER.key(), postgres.user(),
                                    JdbcOptions.PASSWORD.key(), postgres.password(),
                                    KafkaOptions.BOOTSTRAP_SERVERS.key(),
                                            kafka.bootstrapServers()));
            PredictionJob.prepareExternalSystems(config);
            ApiSettings base = ApiSetup.settingsOf(config);
            ApiSettings api =
                    base.toBuilder()
                            .port(0)
                            .requestsPerMinute(
                                    Map.of(
                                            Tier.DEFAULT, Integer.MAX_VALUE,
                                            Tier.PREMIUM, Integer.MAX_VALUE,
                                            Tier.ADMIN, Integer.MAX_VALUE))
                            .streams(
                                    new StreamSettings(
                                            base.streams().clientBuffer(),
                                            base.streams().heartbeat(),
                                            base.streams().tokenLifetime(),
                                            clients + 16))
                            .build();
            try (ApiServer server = new ApiServer(api).start();
                    KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
                String key =
                        new ApiKeys(server.context().db()).create("bench", Tier.DEFAULT).secret();
                String topic = config.get(KafkaOptions.TOPIC_PREDICTIONS);
                awaitReader(server, key);
                Memory idle = Memory.now();

                int records = rate * seconds;
                Clients streams = new Clients(server.port(), key, clients, records);
                streams.connect();
                Memory connected = Memory.now();
                System.out.printf(
                        "%,d clients streaming from %s; committing %,d records of %,d bytes at"
                                + " %d/s...%n",
                        clients, server.url(), records, recordBytes, rate);

                long[] committedAt = new long[records];
                Thread reading = new Thread(streams::read, "bench-clients");
                reading.start();
                long start = System.nanoTime();
                String padding = "x".repeat(recordBytes - 60);
                for (int n = 0; n < records; n++) {
                    long due = start + n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String symbol = String.format("S%03d", n % SYMBOLS);
                    producer.beginTransaction();
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    symbol,
                                    "{\"symbol\":\""
                                            + symbol
                                            + "\",\"n\":"
                                            + n
                                            + ",\"pad\":\""
                                            + padding
                                            + "\"}"));
                    producer.flush();
                    committedAt[n] = System.nanoTime();
                    streams.committed(n, committedAt[n]);
                    producer.commitTransaction();
                }
                streams.awaitAll(Duration.ofSeconds(60));
                Memory streaming = Memory.now();
                streams.stop();
                reading.join();
                report(streams, records, start, idle, connected, streaming);
            }
        } finally {
            try {
                FileUtils.deleteDirectory(work.toFile());
            } catch (IOException e) {
                System.err.println("Could not delete " + work + ": " + e);
            }
        }
        return 0;
    }

    private void report(
            Clients streams,
            int records,
            long start,
            Memory idle,
            Memory connected,
            Memory streaming) {
        long[] delays = streams.delays();
        Arrays.sort(delays);
        double span = (streams.lastReceipt() - start) / 1e9;
        System.out.println();
        System.out.printf(
                "%-44s %s%n", "clients connected / dropped", clients + " / " + streams.dropped());
        System.out.printf(
                "%-44s %,d of %,d%n", "events delivered", delays.length, (long) records * clients);
        System.out.printf("%-44s %,.0f%n", "events/s delivered", delays.length / span);
        System.out.printf(
                "%-44s %.1f / %.1f / %.1f ms%n",
                "commit -> receipt p50 / p99 / max",
                percentile(delays, 0.50),
                percentile(delays, 0.99),
                delays.length == 0 ? Double.NaN : delays[delays.length - 1] / 1e6);
        System.out.printf(
                "%-44s %,.1f MiB idle, %,.1f MiB with clients (+%,.1f KiB a client), %,.1f"
                        + " MiB streaming%n",
                "heap after GC",
                idle.heap / 1048576.0,
                connected.heap / 1048576.0,
                (connected.heap - idle.heap) / 1024.0 / clients,
                streaming.heap / 1048576.0);
        System.out.printf(
                "%-44s %d idle, %d with clients, %d streaming (the bench's own: 2)%n",
                "JVM threads", idle.threads, connected.threads, streaming.threads);
        System.out.printf(
                "%-44s %d idle, %d with clients, %d streaming%n",
                "  of them Jetty's pool (none held by a stream)",
                idle.jetty,
                connected.jetty,
                streaming.jetty);
        for (Map.Entry<String, Integer> family : streaming.families.entrySet()) {
            int before = idle.families.getOrDefault(family.getKey(), 0);
            if (family.getValue() > before) {
                System.out.printf(
                        "%-44s %s: %d -> %d%n",
                        "  threads that grew", family.getKey(), before, family.getValue());
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Waits until a stream's ready event names the topic's partitions: the reader is there. */
    private static void awaitReader(ApiServer server, String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Clients probe = new Clients(server.port(), key, 1, 0);
            probe.connect();
            String id = probe.readyId();
            probe.close();
            if (id != null && id.contains("0-")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the stream reader did not assign the topic in 60 s");
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stream-bench-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    /** Heap in use after a full collection, live threads, and their families by name. */
    private record Memory(long heap, int threads, int jetty, Map<String, Integer> families) {
        static Memory now() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            int jetty = 0;
            Map<String, Integer> families = new TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                // Javalin names Jetty's pool threads JettyServerThreadPool-<n>
                jetty += thread.getName().startsWith("JettyServerThreadPool") ? 1 : 0;
                families.merge(thread.getName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
            }
            return new Memory(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    jetty,
                    families);
        }
    }

    /**
     * SSE clients on one thread: non-blocking sockets with direct buffers, HTTP/1.0 (the stream is
     * the rest of the connection, no chunks), each event's {@code "n"} read from its data.
     */
    private static final class Clients {

        private final int port;
        private final String key;
        private final int count;
        private final Selector selector;
        private final Connection[] connections;
        private final AtomicLongArray commits;
        private final long[] delays;
        private int delayCount;
        private volatile boolean running = true;
        private volatile long lastReceipt;
        private final int records;

        Clients(int port, String key, int count, int records) throws IOException {
            this.port = port;
            this.key = key;
            this.count = count;
            this.records = records;
            this.selector = Selector.open();
            this.connections = new Connection[count];
            this.commits = new AtomicLongArray(Math.max(records, 1));
            this.delays = new long[records * count];
        }

        void committed(int n, long nanos) {
            commits.set(n, nanos);
        }

        /** Opens every stream and waits until each has its ready event. */
        void connect() throws IOException {
            byte[] request =
                    ("GET "
                                    + PATH
                                    + " HTTP/1.0\r\nHost: 127.0.0.1\r\nX-API-Key: "
                                    + key
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                SocketChannel channel =
                        SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                connections[i] = new Connection();
                channel.register(selector, SelectionKey.OP_READ, connections[i]);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (readyCount() < count && System.nanoTime() < deadline) {
                poll(100);
            }
            if (readyCount() < count) {
                throw new IllegalStateException(
                        readyCount() + " of " + count + " streams started in 120 s");
            }
        }

        String readyId() {
            return connections[0].readyId;
        }

        private int readyCount() {
            int ready = 0;
            for (Connection connection : connections) {
                ready += connection.readyId != null ? 1 : 0;
            }
            return ready;
        }

        /** Reads until {@link #stop()}, then closes every stream. */
        void read() {
            try {
                while (running) {
                    poll(100);
                }
                close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline
                    && received() < (long) records * count - dropped() * (long) records) {
                Thread.sleep(50);
            }
        }

        private long received() {
            long total = 0;
            for (Connection connection : connections) {
                total += connection.events;
            }
            return total;
        }

        int dropped() {
            int dropped = 0;
            for (Connection connection : connections) {
                dropped += connection.dropped ? 1 : 0;
            }
            return dropped;
        }

        synchronized long[] delays() {
            return Arrays.copyOf(delays, delayCount);
        }

        long lastReceipt() {
            return lastReceipt;
        }

        /** Ends {@link #read()}, which closes the streams. */
        void stop() {
            running = false;
            selector.wakeup();
        }

        /** Closes every stream, where no thread reads them. */
        void close() throws IOException {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }

        private void poll(long millis) throws IOException {
            if (!selector.isOpen()) {
                return;
            }
            selector.select(millis);
            long now = System.nanoTime();
            for (SelectionKey key : selector.selectedKeys()) {
                Connection connection = (Connection) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                connection.buffer.clear();
                int read = channel.read(connection.buffer);
                if (read < 0) {
                    key.cancel();
                    channel.close();
                    continue;
                }
                connection.buffer.flip();
                connection.take(connection.buffer, now);
            }
            selector.selectedKeys().clear();
        }

        /** One stream: the bytes of its unfinished event, what it got. */
        private final class Connection {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
            byte[] pending = new byte[4096];
            int length;
            boolean headers = true;
            String readyId;
            long events;
            boolean dropped;

            void take(ByteBuffer in, long now) {
                int n = in.remaining();
                if (length + n > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + n));
                }
                in.get(pending, length, n);
                length += n;
                int start = 0;
                for (int i = 1; i < length; i++) {
                    if (pending[i] == '\n' && pending[i - 1] == '\n') {
                        frame(new String(pending, start, i - start, StandardCharsets.UTF_8), now);
                        start = i + 1;
                    }
                }
                System.arraycopy(pending, start, pending, 0, length - start);
                length -= start;
            }

            private void frame(String frame, long now) {
                if (headers) {
                    // the headers end with \r\n\r\n, which holds no \n\n: skip to the body
                    int end = frame.indexOf("\r\n\r\n");
                    if (end < 0) {
                        return;
                    }
                    headers = false;
                    frame = frame.substring(end + 4);
                }
                if (frame.startsWith("event: ready")) {
                    int id = frame.indexOf("id: ");
                    readyId = frame.substring(id + 4, frame.indexOf('\n', id));
                } else if (frame.startsWith("event: dropped")) {
                    dropped = true;
                } else if (frame.startsWith("event: prediction")) {
                    int at = frame.indexOf("\"n\":") + 4;
                    int end = at;
                    while (Character.isDigit(frame.charAt(end))) {
                        end++;
                    }
                    int n = Integer.parseInt(frame.substring(at, end));
                    events++;
                    lastReceipt = now;
                    synchronized (Clients.this) {
                        delays[delayCount++] = now - commits.get(n);
                    }
                }
            }
        }
    }
}
