package dev.redissession.demo;

import dev.redissession.testing.RedisTestResource;
import dev.redissession.testing.contract.SessionContractScenarios;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The session contract through the servlet door: the demo's servlets against the shared test Redis. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class DemoSessionContractTest extends SessionContractScenarios {
}
