package dev.redissession.it.rest;

import dev.redissession.testing.contract.TwoInstancesScenarios;

/** Two instances of the packaged rest-only app sharing one Redis: the contract's two-instance scenarios. */
class RestOnlyTwoInstancesIT extends TwoInstancesScenarios {
}
