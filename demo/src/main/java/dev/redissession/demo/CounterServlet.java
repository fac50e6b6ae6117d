package dev.redissession.demo;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * {@code POST /demo/counter}: adds one to the session attribute {@code counter} (creating the session if needed)
 * and returns the new value. Sequential requests see each other's writes on any replica; two requests that
 * increment the same session at the same moment may both write the same value (last writer wins per attribute).
 */
@WebServlet(urlPatterns = "/demo/counter")
public class CounterServlet extends HttpServlet {

    static final String ATTRIBUTE = "counter";

    @Inject
    JsonHttp json;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        long next = session.getAttribute(ATTRIBUTE) instanceof Number current ? current.longValue() + 1 : 1;
        session.setAttribute(ATTRIBUTE, next);
        json.write(response, HttpServletResponse.SC_OK, next);
    }
}
