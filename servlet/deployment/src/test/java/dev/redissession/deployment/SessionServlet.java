package dev.redissession.deployment;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redissession.servlet.ServletSessions;

/**
 * Session operations for tests, one per path. {@code ?hold=NAME} makes a request load its session, then wait until
 * the test releases NAME before it changes anything, so tests can interleave requests without sleeping.
 */
@WebServlet(urlPatterns = "/s/*", asyncSupported = true)
public class SessionServlet extends HttpServlet {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, CountDownLatch> LOADED = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> RELEASE = new ConcurrentHashMap<>();

    static void hold(String name) {
        LOADED.put(name, new CountDownLatch(1));
        RELEASE.put(name, new CountDownLatch(1));
    }

    static void awaitLoaded(String name) throws InterruptedException {
        if (!LOADED.get(name).await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("request " + name + " never loaded its session");
        }
    }

    static void release(String name) {
        RELEASE.get(name).countDown();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] path = req.getPathInfo().substring(1).split("/", 2);
        String op = req.getMethod() + " " + path[0];
        String name = path.length > 1 ? path[1] : null;
        switch (op) {
            case "GET ping" -> text(resp, 200, "pong");
            case "GET cookies" -> text(resp, 200, String.valueOf(req.getCookies() == null ? 0 : req.getCookies().length));
            case "GET encode" -> {
                req.getSession(true).setAttribute("seen", true);
                text(resp, 200, resp.encodeURL("/next"));
            }
            case "GET attr" -> {
                HttpSession session = req.getSession(false);
                if (session == null) {
                    text(resp, 401, "no session");
                    return;
                }
                Object value = session.getAttribute(name);
                if (value == null) {
                    text(resp, 404, "no attribute " + name);
                } else {
                    json(resp, Map.of("value", value, "type", value.getClass().getName()));
                }
            }
            case "GET all" -> {
                HttpSession session = req.getSession(false);
                if (session == null) {
                    text(resp, 401, "no session");
                    return;
                }
                Map<String, Object> all = new TreeMap<>();
                session.getAttributeNames().asIterator().forEachRemaining(n -> all.put(n, session.getAttribute(n)));
                json(resp, all);
            }
            case "PUT attr" -> {
                Object value = JSON.readValue(req.getInputStream(), Object.class);
                HttpSession session = req.getSession(true);
                session.getAttributeNames();
                holdIfAsked(req);
                try {
                    session.setAttribute(name, value);
                } catch (IllegalArgumentException e) {
                    text(resp, 422, e.getMessage());
                    return;
                }
                resp.setStatus(204);
            }
            case "PUT login" -> {
                // Signs in and stores the body in one request, as a login that loads a profile does.
                Object value = JSON.readValue(req.getInputStream(), Object.class);
                HttpSession session = req.getSession(true);
                session.setAttribute("user_id", name);
                session.setAttribute("profile", value);
                resp.setStatus(204);
            }
            case "POST counter" -> {
                HttpSession session = req.getSession(true);
                Number current = (Number) session.getAttribute("counter");
                holdIfAsked(req);
                int next = current == null ? 1 : current.intValue() + 1;
                session.setAttribute("counter", next);
                json(resp, next);
            }
            case "POST increment" -> {
                // The atomic form of "POST counter": applied again to the newer value after a conflict.
                HttpSession session = req.getSession(true);
                session.getAttribute(name);
                holdIfAsked(req);
                json(resp, ServletSessions.update(session, name, (Number n) -> n == null ? 1 : n.intValue() + 1));
            }
            case "POST refuse" -> {
                HttpSession session = req.getSession(true);
                ServletSessions.update(session, name, (Object old) -> {
                    throw new IllegalStateException("the application refuses to update " + name);
                });
                resp.setStatus(204);
            }
            case "POST append" -> {
                // Changes the stored list in place, as much servlet code does: no second setAttribute.
                Object item = JSON.readValue(req.getInputStream(), Object.class);
                HttpSession session = req.getSession(true);
                @SuppressWarnings("unchecked")
                java.util.List<Object> list = (java.util.List<Object>) session.getAttribute(name);
                holdIfAsked(req);
                if (list == null) {
                    session.setAttribute(name, new java.util.ArrayList<>(java.util.List.of(item)));
                } else {
                    list.add(item);
                }
                resp.setStatus(204);
            }
            case "DELETE attr" -> {
                req.getSession(true).removeAttribute(name);
                resp.setStatus(204);
            }
            case "POST rotate" -> {
                if (req.getSession(false) == null) {
                    text(resp, 401, "no session");
                    return;
                }
                holdIfAsked(req);
                json(resp, Map.of("id", req.changeSessionId()));
            }
            case "POST invalidate" -> {
                HttpSession session = req.getSession(false);
                if (session != null) {
                    holdIfAsked(req);
                    session.invalidate();
                }
                resp.setStatus(204);
            }
            case "PUT max-inactive" -> {
                req.getSession(true).setMaxInactiveInterval(Integer.parseInt(req.getParameter("seconds")));
                resp.setStatus(204);
            }
            case "GET meta", "POST meta" -> {
                // POST creates the session when there is none, and answers in the creating request.
                HttpSession session = req.getSession(req.getMethod().equals("POST"));
                json(resp, Map.of("id", session.getId(), "created", session.getCreationTime(),
                        "lastAccessed", session.getLastAccessedTime(), "maxInactive", session.getMaxInactiveInterval(),
                        "isNew", session.isNew()));
            }
            case "PUT flushed" -> {
                // The response commits here, long before the servlet returns.
                req.getSession(true).setAttribute(name, JSON.readValue(req.getInputStream(), Object.class));
                resp.setStatus(200);
                resp.getWriter().write("committed");
                resp.flushBuffer();
                holdIfAsked(req);
            }
            case "GET async" -> {
                // Reaches the session from a container thread after the servlet returned.
                var async = req.startAsync();
                async.start(() -> {
                    try {
                        HttpSession session = ((HttpServletRequest) async.getRequest()).getSession(false);
                        Object old = session.getAttribute(name);
                        session.setAttribute(name, old == null ? 1 : ((Number) old).intValue() + 1);
                        json((HttpServletResponse) async.getResponse(), session.getAttribute(name));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        async.complete();
                    }
                });
            }
            case "PUT internal" -> {
                // What Quarkus and Undertow do with their own attributes: objects that are not JSON.
                req.getSession(true).setAttribute("io.quarkus.test.internal", new Object());
                resp.setStatus(204);
            }
            default -> text(resp, 404, "unknown operation " + op);
        }
    }

    private static void holdIfAsked(HttpServletRequest req) {
        String hold = req.getParameter("hold");
        if (hold == null) {
            return;
        }
        LOADED.get(hold).countDown();
        try {
            if (!RELEASE.get(hold).await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("request " + hold + " was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
    }

    static void json(HttpServletResponse resp, Object body) throws IOException {
        resp.setContentType("application/json");
        JSON.writeValue(resp.getWriter(), body);
    }
}
