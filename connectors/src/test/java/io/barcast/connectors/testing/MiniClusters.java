package io.barcast.connectors.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the connector tests share per class: one task manager, two slots. */
public final class MiniClusters {

    private MiniClusters() {}

    public static MiniClusterExtension twoSlots() {
        return twoSlots(new Configuration());
    }

    public static MiniClusterExtension twoSlots(Configuration config) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .setConfiguration(config)
                        .build());
    }
}
