package dev.redissession.deployment;

import dev.redissession.runtime.devui.RedisSessionJsonRpcService;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * The extension's Dev UI card (local dev mode, store enabled): a page with the store's address, key prefix and tenant
 * strategy and a tenant's session count, backed by {@link RedisSessionJsonRpcService}.
 * <p>
 * Both items are created here, so the Dev UI derives one namespace for them from this class's artifact
 * ({@code quarkus-redis-session}): the page's {@code new JsonRpc(this)} calls {@code quarkus-redis-session_<method>},
 * the names the JSON-RPC service is registered under.
 */
class RedisSessionDevUIProcessor {

    /** The page's web component, in {@code src/main/resources/dev-ui/}. */
    static final String COMPONENT = "qwc-redis-session-store.js";

    @BuildStep(onlyIf = { IsLocalDevelopment.class, SessionStoreEnabled.class })
    CardPageBuildItem card(RedisSessionBuildTimeConfig config) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Session store")
                .icon("font-awesome-solid:database")
                .componentLink(COMPONENT)
                .dynamicLabelJsonRPCMethodName("getAddress"));
        // Build-time: which Redis client the sessions use is fixed when the app is built.
        card.addBuildTimeData("sessionClient", config.sessionClient());
        return card;
    }

    @BuildStep(onlyIf = { IsLocalDevelopment.class, SessionStoreEnabled.class })
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(RedisSessionJsonRpcService.class);
    }
}
