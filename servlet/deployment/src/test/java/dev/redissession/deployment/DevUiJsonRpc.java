package dev.redissession.deployment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls the Dev UI's JSON-RPC methods the way its pages do: over {@code /q/dev-ui/json-rpc-ws}, by their full names
 * ({@code <namespace>_<method>}; the Quarkus Dev UI test support, quarkus-devui-test-spi, is not published for
 * 3.34.1).
 */
final class DevUiJsonRpc {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final int port;

    DevUiJsonRpc(int port) {
        this.port = port;
    }

    /**
     * The method's {@code result.object}; fails on a JSON-RPC error (e.g. "method not found").
     *
     * @param method the full name, e.g. {@code quarkus-redis-session_getInfo}
     */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = IDS.incrementAndGet();
        String request = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id,
                "method", method, "params", params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/q/dev-ui/json-rpc-ws"), new Answer(id, answer))
                .get(30, TimeUnit.SECONDS);
        try {
            socket.sendText(request, true);
            JsonNode response = answer.get(60, TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new AssertionError("JSON-RPC " + method + " failed: " + response.get("error"));
            }
            return response.get("result").get("object");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(ignored -> null);
        }
    }

    /** Collects text frames into messages and completes with the one that answers {@code id}. */
    private static final class Answer implements WebSocket.Listener {
        private final int id;
        private final CompletableFuture<JsonNode> answer;
        private final StringBuilder message = new StringBuilder();

        Answer(int id, CompletableFuture<JsonNode> answer) {
            this.id = id;
            this.answer = answer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode json = JSON.readTree(message.toString());
                    if (json.path("id").asInt(-1) == id) {
                        answer.complete(json);
                    }
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
                message.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            answer.completeExceptionally(error);
        }
    }
}
