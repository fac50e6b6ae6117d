package dev.redissession.demo;

import java.io.IOException;
import java.util.Collections;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.redissession.PassiveSession;

/**
 * {@code GET /demo/poll}: {@code {"user_id": ...}} of the session, 401 without one; passive, as a polling endpoint
 * should be: it reads the session without extending it (its TTL and {@code last_accessed_at} stay as they were).
 */
@PassiveSession
@WebServlet(urlPatterns = "/demo/poll")
public class PollServlet extends HttpServlet {

    @Inject
    JsonHttp json;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = json.sessionOr401(request, response);
        if (session == null) {
            return;
        }
        json.write(response, HttpServletResponse.SC_OK,
                Collections.singletonMap("user_id", session.getAttribute("user_id")));
    }
}
