package dev.redissession.demo;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.redissession.servlet.ServletSessions;

/**
 * {@code POST /demo/counter}: adds one to the session attribute {@code counter} (creating the session if needed)
 * and returns the new value. An atomic update: parallel increments of one session on any replicas all count (a
 * request that lost a race adds its one to the newer value), though two parallel answers may show the same number.
 */
@WebServlet(urlPatterns = "/demo/counter")
public class CounterServlet extends HttpServlet {

    static final String ATTRIBUTE = "counter";

    @Inject
    JsonHttp json;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        Number next = ServletSessions.update(session, ATTRIBUTE, CounterServlet::increment);
        json.write(response, HttpServletResponse.SC_OK, next);
    }

    /** One more than {@code current}; as an atomic update, applied again to the newer value after a conflict. */
    static Number increment(Number current) {
        return current == null ? 1L : current.longValue() + 1;
    }
}
