package io.barcast.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void namedThreadsAreDaemonsThatAllCarryTheName() {
        ThreadFactory factory = DaemonThreads.named("barcast-test");
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});

        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("barcast-test");
        assertThat(second.getName()).isEqualTo("barcast-test");
    }

    @Test
    void numberedThreadsAreDaemonsCountedFromOne() {
        ThreadFactory factory = DaemonThreads.numbered("barcast-test");
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});

        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("barcast-test-1");
        assertThat(second.getName()).isEqualTo("barcast-test-2");
    }

    @Test
    void aStartedThreadIsADaemonRunningItsTask() throws InterruptedException {
        boolean[] ran = new boolean[1];
        Thread thread = DaemonThreads.start("barcast-test-once", () -> ran[0] = true);
        thread.join(10_000);

        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("barcast-test-once");
        assertThat(ran[0]).isTrue();
    }
}
