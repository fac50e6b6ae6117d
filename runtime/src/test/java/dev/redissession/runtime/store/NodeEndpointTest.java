package dev.redissession.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ClusterClients#nodeEndpoint}: a cluster node's URI keeps the configured scheme, credentials and path. */
class NodeEndpointTest {

    @Test
    void replacesOnlyHostAndPort() {
        assertEquals("redis://10.0.0.2:7001", ClusterClients.nodeEndpoint("redis://seed:6379", "10.0.0.2:7001"));
        assertEquals("rediss://app:s3cr@t@10.0.0.2:7001/0",
                ClusterClients.nodeEndpoint("rediss://app:s3cr@t@seed.example:6380/0", "10.0.0.2:7001"));
        assertEquals("redis://:pw@10.0.0.2:7001?x=1", ClusterClients.nodeEndpoint("redis://:pw@seed?x=1",
                "10.0.0.2:7001"));
    }
}
