package dev.redissession.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * What a {@code @SessionScoped} bean does behind one door of the application, and the session API to use there
 * instead: each door present produces one, and the build's warning names exactly those.
 */
public final class SessionScopedDoorBuildItem extends MultiBuildItem {

    private final String effect;
    private final String instead;

    /**
     * @param effect where and what, e.g. "in servlets it lives for one request only"
     * @param instead the session API of that door, e.g. "HttpSession attributes"
     */
    public SessionScopedDoorBuildItem(String effect, String instead) {
        this.effect = effect;
        this.instead = instead;
    }

    public String effect() {
        return effect;
    }

    public String instead() {
        return instead;
    }
}
