package dev.redissession.demo;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /demo/ended}: the session ends this replica heard of, by reason ({@code {"expired": 3, "invalidated":
 * 1}}); {@code GET /demo/ended/recent}: the last ones, newest first. Never touches the session.
 */
@WebServlet(urlPatterns = { "/demo/ended", "/demo/ended/recent" })
public class EndedServlet extends HttpServlet {

    @Inject
    SessionEndLog log;
    @Inject
    JsonHttp json;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        json.write(response, 200, request.getServletPath().endsWith("/recent") ? log.recent() : log.counts());
    }
}
