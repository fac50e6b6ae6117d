package dev.redissession.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.redissession.testing.contract.AppReplicas.App;
import dev.redissession.testing.contract.TwoInstancesScenarios;

/**
 * Two replicas of the packaged demo sharing one Redis: the contract's two-instance scenarios through the servlet door,
 * and the demo's own {@code X-Replica} header, which tells them apart.
 */
class TwoInstancesIT extends TwoInstancesScenarios {

    @Test
    void eachReplicaNamesItselfByHostAndPort() throws Exception {
        // demo.replica is not set: each names itself by host name and port, so the two differ.
        for (App app : new App[] { a, b }) {
            String replica = send(app, "GET", "/demo/ping", null, null).header(ReplicaHeader.HEADER);
            assertTrue(replica != null && replica.endsWith(":" + app.port()), "X-Replica of " + app.name() + ": " + replica);
        }
    }
}
