package dev.redissession.it.rest;

import dev.redissession.testing.contract.ParallelUpdatesScenarios;

/** Two replicas of the packaged rest-only app: the contract's parallel-update scenarios, standalone and on a Cluster. */
class RestOnlyParallelUpdatesIT extends ParallelUpdatesScenarios {
}
