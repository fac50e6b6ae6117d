package dev.redissession.it.classic;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** Counts the visits of a session: the servlet side of the app, its session kept in Redis by the extension. */
@WebServlet(urlPatterns = "/visit")
public class VisitServlet extends HttpServlet {

    static final String VISITS = "visits";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        Integer visits = (Integer) session.getAttribute(VISITS);
        int now = visits == null ? 1 : visits + 1;
        session.setAttribute(VISITS, now);
        response.setContentType("text/plain");
        response.getWriter().print(now);
    }
}
