package dev.redissession.servlet.runtime;

import dev.redissession.runtime.http.ResponseHeader;
import dev.redissession.runtime.session.RequestSession;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * Where a request's session lookup stands, kept on the exchange so Redis is asked at most once per request: absent
 * until servlet code runs, open while it may look its session up, closed between dispatches, then the session found
 * or none; and the core's {@link RequestSession} behind it, which every save hook commits.
 */
final class RequestSessions {

    private static final AttachmentKey<Object> SESSION = AttachmentKey.create(Object.class);
    private static final AttachmentKey<RequestSession> CORE = AttachmentKey.create(RequestSession.class);
    private static final Object LOOKUP_OPEN = new Object();
    private static final Object CLOSED = new Object();
    private static final Object NO_SESSION = new Object();

    private RequestSessions() {
    }

    /**
     * Opens session lookups when servlet code starts. Before that only Undertow's security handlers look, on every
     * request, for authentication cached in the session, which Quarkus security never uses: answering them would
     * cost a {@code GETEX} per request.
     */
    static void open(HttpServerExchange exchange) {
        Object state = exchange.getAttachment(SESSION);
        if (state == null || state == CLOSED) {
            exchange.putAttachment(SESSION, LOOKUP_OPEN);
        }
    }

    /**
     * Closes session lookups when servlet code is done. Undertow looks the session up once more when the response
     * completes, only to touch it: for a request that never used its session that too would cost a {@code GETEX}.
     *
     * @return the session the request used, or {@code null}
     */
    static UndertowSession close(HttpServerExchange exchange) {
        if (exchange.getAttachment(SESSION) == LOOKUP_OPEN) {
            exchange.putAttachment(SESSION, CLOSED);
        }
        return used(exchange);
    }

    static boolean isLookupOpen(HttpServerExchange exchange) {
        return exchange.getAttachment(SESSION) == LOOKUP_OPEN;
    }

    /** The session the request used, if it used one: what the commit filter and the commit listener save. */
    static UndertowSession used(HttpServerExchange exchange) {
        return exchange.getAttachment(SESSION) instanceof UndertowSession session ? session : null;
    }

    /** Records the lookup's result, {@code null} for none. */
    static void found(HttpServerExchange exchange, UndertowSession session) {
        exchange.putAttachment(SESSION, session == null ? NO_SESSION : session);
    }

    /** The core's session of the request, opened on first use. */
    static RequestSession core(HttpServerExchange exchange, java.util.function.Supplier<RequestSession> open) {
        RequestSession session = exchange.getAttachment(CORE);
        if (session == null) {
            session = open.get();
            exchange.putAttachment(CORE, session);
        }
        return session;
    }

    /**
     * Saves what the request did to its session and adds the id the response must carry, if any: the one way every
     * hook of the servlet door (the filter, the response-commit listener, the end of the request) saves.
     *
     * @throws RuntimeException the store's failure, for the hook to answer
     */
    static void commit(HttpServerExchange exchange) {
        RequestSession session = exchange.getAttachment(CORE);
        if (session != null) {
            for (ResponseHeader header : session.commit()) {
                exchange.addResponseHeader(header.name(), header.value());
            }
        }
    }

    /** A failure answered the request: nothing of its session is saved later. */
    static void failed(HttpServerExchange exchange) {
        RequestSession session = exchange.getAttachment(CORE);
        if (session != null) {
            session.fail();
        }
    }
}
