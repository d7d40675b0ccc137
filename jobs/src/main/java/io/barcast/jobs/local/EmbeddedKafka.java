package io.barcast.jobs.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (combined KRaft broker and controller) inside this JVM, for the local
 * stack and the integration tests.
 *
 * <p>It is configured so that transactions and exactly-once delivery work with one node: the
 * offsets and transaction state topics have replication factor 1 and min ISR 1, and {@code
 * transaction.max.timeout.ms} keeps Kafka's default (15 minutes), which a Flink exactly-once sink's
 * {@code transaction.timeout.ms} must not exceed. Topics are never created automatically: create
 * them with {@link #createTopics}.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}): the controller's address is then not
 * written into the metadata log, so a data directory can be restarted on different ports.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final int NODE_ID = 1;
    // The controller serves only this node: it never leaves the loopback address.
    private static final String CONTROLLER_HOST = BindAddress.LOOPBACK.host();
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final String bootstrapServers;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafka(
            KafkaRaftServer server,
            Path dataDir,
            boolean deleteDataDirOnClose,
            BindAddress address,
            int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.bootstrapServers = BindAddress.hostAndPort(address.connectHost(), port);
    }

    /** Starts a node on the loopback address and waits until it accepts clients. */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, BindAddress.LOOPBACK, port);
    }

    /**
     * Starts a node and waits until it accepts clients.
     *
     * @param dataDir where the node keeps its logs; reused (with its topics and records) when it
     *     already holds a node's data; {@code null} for a temporary directory deleted on close
     * @param address where the broker listens for clients
     * @param port the client port, or 0 for a free one
     */
    public static EmbeddedKafka start(Path dataDir, BindAddress address, int port) {
        boolean temporary = dataDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("barcast-kafka-") : dataDir;
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + dataDir, e);
        }
        // Ports picked here can be taken by someone else before the node binds them; a retry
        // with new ones fixes that, but a port the caller chose is never swapped for another.
        for (int attempt = 1; ; attempt++) {
            int brokerPort = port == 0 ? FreePorts.onLoopback() : port;
            int controllerPort = FreePorts.onLoopback();
            try {
                return startOnce(dir, temporary, address, brokerPort, controllerPort);
            } catch (RuntimeException e) {
                boolean retry = isBindFailure(e) && attempt < BIND_ATTEMPTS;
                if (!retry) {
                    if (temporary) {
                        deleteRecursively(dir);
                    }
                    throw e;
                }
                LOG.warn("Kafka could not bind its ports, retrying with others: {}", e.toString());
            }
        }
    }

    private static EmbeddedKafka startOnce(
            Path dir, boolean temporary, BindAddress address, int brokerPort, int controllerPort) {
        long startNanos = System.nanoTime();
        Path logDir = dir.resolve("logs");
        Properties props = config(logDir, address, brokerPort, controllerPort);
        format(dir, props, logDir);
        KafkaConfig config = KafkaConfig.fromProps(props);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, dir, temporary, address, brokerPort);
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException e) {
            try {
                kafka.stopServer();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        LOG.info(
                "Kafka started on {} in {} ms (data in {})",
                kafka.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                dir);
        return kafka;
    }

    private static Properties config(
            Path logDir, BindAddress address, int brokerPort, int controllerPort) {
        String controller = BindAddress.hostAndPort(CONTROLLER_HOST, controllerPort);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + controller);
        props.put(
                "listeners",
                BROKER_LISTENER
                        + "://"
                        + BindAddress.hostAndPort(address.host(), brokerPort)
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + controller);
        props.put(
                "advertised.listeners",
                BROKER_LISTENER
                        + "://"
                        + BindAddress.hostAndPort(advertisedHost(address), brokerPort));
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put(
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());

        // One node: every internal topic must make do with one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("transaction.max.timeout.ms", "900000");

        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        // Consumer groups should not wait for more members that will never join.
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    /** The host clients are told to use: a wildcard address is no address to connect to. */
    private static String advertisedHost(BindAddress address) {
        if (!address.wildcard()) {
            return address.host();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "Kafka on every interface needs a host name to give its clients", e);
        }
    }

    /** Formats a fresh log directory; one that already holds a node's data is left as it is. */
    private static void format(Path dir, Properties config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        // The storage tool takes the node's settings as a file, needed only while it formats.
        Path configFile = dir.resolve("format.properties");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try {
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                config.store(writer, "Written by barcast for its embedded Kafka node");
            }
            String[] args = {
                "format",
                "--config",
                configFile.toString(),
                "--cluster-id",
                Uuid.randomUuid().toString()
            };
            exitCode =
                    StorageTool.execute(
                            args, new PrintStream(output, true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + configFile, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDir, e);
        } finally {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", configFile, e.toString());
            }
        }
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "Cannot format the Kafka log directory "
                            + logDir
                            + ": "
                            + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Kafka", e);
            } catch (Exception e) {
                last = e;
            }
            pause(100);
        }
        throw new IllegalStateException(
                "Kafka at " + bootstrapServers + " was not ready after " + READY_TIMEOUT, last);
    }

    /** The client bootstrap address, e.g. {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates topics with replication factor 1 and waits until every partition has a leader. Topics
     * that already exist are left as they are, whatever their partition count.
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Set<String> unique = new LinkedHashSet<>(List.of(names));
        List<NewTopic> topics = new ArrayList<>();
        for (String name : unique) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        for (Map.Entry<String, KafkaFuture<Void>> created :
                admin().createTopics(topics).values().entrySet()) {
            try {
                created.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "Cannot create topic " + created.getKey(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topics", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Timed out creating topic " + created.getKey(), e);
            }
        }
        awaitLeaders(unique);
    }

    private void awaitLeaders(Set<String> names) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin().describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                boolean ready =
                        descriptions.values().stream()
                                .flatMap(d -> d.partitions().stream())
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics", e);
            } catch (Exception e) {
                last = e;
            }
            pause(50);
        }
        throw new IllegalStateException("Topics " + names + " have no leader yet", last);
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "barcast-embedded-kafka-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** Stops the node; deletes its data directory when it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopServer();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private void stopServer() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        server.shutdown();
        server.awaitShutdown();
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
