package io.barcast.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobHealthTest {

    @Test
    void namesTheInnermostCauseInOneLine() {
        String trace =
                "org.apache.flink.runtime.JobException: Recovery is suppressed\n"
                        + "\tat org.apache.flink.Foo.bar(Foo.java:1)\n"
                        + "Caused by: java.io.IOException: flush failed\n"
                        + "\tat x.Y.z(Y.java:2)\n"
                        + "Caused by: org.postgresql.util.PSQLException: Connection to"
                        + " 127.0.0.1:5432 refused.\n"
                        + "\tat x.Y.z(Y.java:3)\n";

        assertThat(JobHealth.rootCause(trace))
                .isEqualTo("PSQLException: Connection to 127.0.0.1:5432 refused.");
        assertThat(JobHealth.rootCause("java.lang.IllegalStateException: boom"))
                .isEqualTo("IllegalStateException: boom");
        assertThat(JobHealth.rootCause("x".repeat(500))).hasSize(201);
    }

    @Test
    void saysNothingWhileTheJobNeverFailed() {
        assertThat(new JobHealth.Snapshot("RUNNING", 0, null).describe()).isEmpty();
        assertThat(new JobHealth.Snapshot("RUNNING", 2, "IOException: x").describe())
                .isEqualTo(" | restarts 2 (last: IOException: x)");
        assertThat(new JobHealth.Snapshot("RESTARTING", 3, "IOException: x").describe())
                .isEqualTo(" | RESTARTING, restarts 3 (last: IOException: x)");
    }
}
