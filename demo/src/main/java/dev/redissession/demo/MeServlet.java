package dev.redissession.demo;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** {@code GET /demo/me}: every attribute of the session as one JSON object; 401 without a session. */
@WebServlet(urlPatterns = "/demo/me")
public class MeServlet extends HttpServlet {

    @Inject
    JsonHttp json;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = json.sessionOr401(request, response);
        if (session == null) {
            return;
        }
        Map<String, Object> attributes = new TreeMap<>();
        for (String name : Collections.list(session.getAttributeNames())) {
            attributes.put(name, session.getAttribute(name));
        }
        json.write(response, HttpServletResponse.SC_OK, attributes);
    }
}
