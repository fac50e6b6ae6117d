package dev.redissession.demo;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * {@code PUT /demo/attributes/{name}} stores any JSON value under {@code name} (JSON {@code null} removes it);
 * {@code GET /demo/attributes/{name}} returns it. Names of the container ({@code io.undertow.*}, {@code io.quarkus.*})
 * are refused with 400.
 */
@WebServlet(urlPatterns = "/demo/attributes/*")
public class AttributeServlet extends HttpServlet {

    @Inject
    JsonHttp json;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = attributeName(request, response);
        if (name == null) {
            return;
        }
        HttpSession session = request.getSession(false);
        Object value = session == null ? null : session.getAttribute(name);
        if (value == null) {
            json.error(response, HttpServletResponse.SC_NOT_FOUND, session == null ? "no_session" : "no_attribute",
                    session == null ? "No session for this cookie and tenant" : "The session has no attribute '" + name + "'");
            return;
        }
        json.write(response, HttpServletResponse.SC_OK, value);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = attributeName(request, response);
        if (name == null) {
            return;
        }
        Object value;
        try {
            value = json.toValue(json.readBody(request));
        } catch (JsonHttp.BadRequest bad) {
            json.error(response, bad);
            return;
        }
        HttpSession session = request.getSession(true);
        try {
            session.setAttribute(name, value);
        } catch (IllegalArgumentException refused) {
            if (session.isNew()) {
                // Created only for this attribute: never store an empty session.
                session.invalidate();
            }
            json.error(response, HttpServletResponse.SC_BAD_REQUEST, "attribute_refused", refused.getMessage());
            return;
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** The {@code {name}} path segment, or {@code null} after answering 404 for a path without exactly one. */
    private String attributeName(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String name = path == null ? "" : path.substring(1);
        if (name.isEmpty() || name.contains("/")) {
            json.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "Use /demo/attributes/{name} with a single path segment as the name");
            return null;
        }
        if (name.startsWith("io.undertow.") || name.startsWith("io.quarkus.")) {
            // Undertow refuses io.undertow.* to application code; io.quarkus.* lives for one request only.
            json.error(response, HttpServletResponse.SC_BAD_REQUEST, "reserved_name", "Attribute names starting "
                    + "with io.undertow. or io.quarkus. belong to the container and are never stored: choose another");
            return null;
        }
        return name;
    }
}
