package io.barcast.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.barcast.jobs.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestDatabaseITCase {

    @RegisterExtension static final TestDatabase DB = new TestDatabase();

    @Test
    void connectsToAFreshDatabaseNamedForThisClass() {
        assertThat(DB.databaseName()).startsWith("barcast_test_");
        assertThat(DB.url()).contains("/" + DB.databaseName());
        assertThat(DB.query("SELECT current_database() AS name"))
                .containsExactly(Map.of("name", DB.databaseName()));
    }

    @Test
    void anotherTestDatabaseIsDistinctMigratedAndDroppedOnClose() {
        String otherName;
        try (TestDatabase other = new TestDatabase("classpath:db/testmigration")) {
            other.open();
            otherName = other.databaseName();

            assertThat(otherName).isNotEqualTo(DB.databaseName());
            assertThat(other.count("SELECT count(*) FROM widget")).isZero();
            assertThat(DB.count("SELECT count(*) FROM pg_database WHERE datname = ?", otherName))
                    .isEqualTo(1);
            // Each database has its own tables: the other's migration did not touch this one.
            assertThat(
                            DB.count(
                                    "SELECT count(*) FROM information_schema.tables"
                                            + " WHERE table_name = 'widget'"))
                    .isZero();
        }

        assertThat(DB.count("SELECT count(*) FROM pg_database WHERE datname = ?", otherName))
                .isZero();
    }

    @Test
    void queryCountAndTruncateAllWorkOnTheClassDatabase() {
        DB.execute("CREATE TABLE IF NOT EXISTS note (id BIGSERIAL PRIMARY KEY, body TEXT)");
        DB.execute("INSERT INTO note (body) VALUES (?), (?)", "first", "second");

        List<Map<String, Object>> rows = DB.query("SELECT id, body FROM note ORDER BY id");
        assertThat(rows).extracting(row -> row.get("body")).containsExactly("first", "second");
        assertThat(DB.count("SELECT count(*) FROM note WHERE body = ?", "second")).isEqualTo(1);

        DB.truncateAll();

        assertThat(DB.count("SELECT count(*) FROM note")).isZero();
        DB.execute("INSERT INTO note (body) VALUES ('again')");
        // RESTART IDENTITY: ids start over after a truncate.
        assertThat(DB.query("SELECT id FROM note")).containsExactly(Map.of("id", 1L));
    }
}
