package io.barcast.jobs.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server-sent events client for tests, on the JDK's HTTP client: reads a stream on a thread of
 * its own and keeps every event (and every comment) in the order it came.
 */
final class SseTestClient implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One event as the client saw it. */
    record Event(String event, String id, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final int status;
    private final String body;
    private final InputStream in;
    private final Thread reader;
    private volatile boolean ended;

    private SseTestClient(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.in = response.body();
        if (status != 200) {
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = null;
            this.ended = true;
            return;
        }
        this.body = null;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with these headers (name, value, name, value...). */
    static SseTestClient open(String url, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseTestClient(
                    HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(
                                new Event(event == null ? "message" : event, id, data.toString()));
                    }
                    event = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder() : data.append('\n');
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    int status() {
        return status;
    }

    /** The problem body of a refused stream. */
    String body() {
        return body;
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    List<Event> events(String type) {
        return events.stream().filter(e -> e.event().equals(type)).toList();
    }

    List<String> comments() {
        return new ArrayList<>(comments);
    }

    /** The id of the last event that had one. */
    String lastEventId() {
        String last = null;
        for (Event event : events) {
            if (event.id() != null) {
                last = event.id();
            }
        }
        return last;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (reader != null) {
            reader.interrupt();
        }
    }
}
