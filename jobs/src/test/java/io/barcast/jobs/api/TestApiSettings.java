package io.barcast.jobs.api;

import io.barcast.api.ApiSettings;
import io.barcast.api.auth.Tier;
import io.barcast.jobs.testing.TestDatabase;
import java.util.Map;

/**
 * API settings for tests over a test database: the defaults, but limits no test reaches, since a
 * test that walks every page makes hundreds of calls a minute. The limits have tests of their own.
 */
public final class TestApiSettings {

    static final Map<Tier, Integer> UNREACHED =
            Map.of(Tier.DEFAULT, 1_000_000, Tier.PREMIUM, 1_000_000, Tier.ADMIN, 1_000_000);

    private TestApiSettings() {}

    public static ApiSettings of(TestDatabase db, String kafkaBootstrapServers) {
        return ApiSettings.defaults(db.url(), db.user(), db.password(), kafkaBootstrapServers)
                .withLimits(UNREACHED);
    }
}
