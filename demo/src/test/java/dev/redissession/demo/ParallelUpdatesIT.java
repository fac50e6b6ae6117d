package dev.redissession.demo;

import dev.redissession.testing.contract.ParallelUpdatesScenarios;

/** Two replicas of the packaged demo: the contract's parallel-update scenarios, standalone and on a Cluster. */
class ParallelUpdatesIT extends ParallelUpdatesScenarios {
}
