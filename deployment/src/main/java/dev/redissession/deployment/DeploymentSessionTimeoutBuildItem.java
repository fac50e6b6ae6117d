package dev.redissession.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The deployment descriptor's default session timeout ({@code web.xml} {@code <session-config><session-timeout>}, in
 * minutes), produced by the servlet door when the application has one; absent, the property alone decides.
 */
public final class DeploymentSessionTimeoutBuildItem extends SimpleBuildItem {

    private final Integer minutes;

    /** @param minutes {@code null} when the descriptor sets none */
    public DeploymentSessionTimeoutBuildItem(Integer minutes) {
        this.minutes = minutes;
    }

    public Integer minutes() {
        return minutes;
    }
}
