package io.barcast.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for tests: a JDK HTTP server on 127.0.0.1 that checks every request as a
 * Standard Webhooks receiver must, with its own implementation of the algorithm (not barcast's):
 * the signature over {@code id.timestamp.body} with the secret's decoded bytes, and a timestamp
 * within {@link #TOLERANCE} of now. A request that fails either is answered 401 and counted as
 * rejected; an accepted one is kept and answered as {@link #answers} says for its number.
 */
final class WebhookReceiver implements AutoCloseable {

    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An accepted request. */
    record Received(
            String id,
            long timestamp,
            String type,
            JsonNode data,
            String body,
            long arrivedNanos) {}

    /** What to answer: a status, headers, and a pause before answering. */
    record Answer(int status, Map<String, String> headers, Duration pause) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final ScheduledExecutorService answering = Executors.newSingleThreadScheduledExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile String secret;
    private volatile IntFunction<Answer> answers = n -> Answer.of(204);

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=abc";
    }

    void secret(String whsec) {
        this.secret = whsec;
    }

    /** How to answer the n-th accepted request (1 for the first). */
    void answers(IntFunction<Answer> byNumber) {
        this.answers = byNumber;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int rejected() {
        return rejected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        if (!"POST".equals(exchange.getRequestMethod())
                || !verify(secret, id, timestamp, signatures, body, System.currentTimeMillis())) {
            rejected.incrementAndGet();
            respond(exchange, Answer.of(401));
            return;
        }
        JsonNode envelope = JSON.readTree(body);
        received.add(
                new Received(
                        id,
                        Long.parseLong(timestamp),
                        envelope.get("type").asText(),
                        envelope.get("data"),
                        body,
                        System.nanoTime()));
        Answer answer = answers.apply(requests.incrementAndGet());
        if (answer.pause().isZero()) {
            respond(exchange, answer);
        } else {
            // a slow receiver: the answer goes out later, and no server thread waits for it
            answering.schedule(
                    () -> respond(exchange, answer),
                    answer.pause().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) {
        try (exchange) {
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
        } catch (IOException e) {
            // the sender gave up waiting (its timeout): what it saw is what a test asserts
        }
    }

    /** The Standard Webhooks check, written here from the specification. */
    static boolean verify(
            String secret,
            String id,
            String timestamp,
            String signatures,
            String body,
            long nowMillis) {
        if (secret == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowMillis / 1000 - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, id + "." + timestamp + "." + body);
        for (String signature : signatures.split(" ")) {
            int comma = signature.indexOf(',');
            if (comma > 0 && signature.substring(0, comma).equals("v1")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(signature.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    static byte[] hmac(String secret, String content) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        answering.shutdownNow();
        server.stop(0);
    }
}
