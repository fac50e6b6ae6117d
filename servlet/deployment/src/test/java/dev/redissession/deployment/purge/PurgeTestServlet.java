package dev.redissession.deployment.purge;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Session traffic for the purge tests: {@code POST /pt/create}, {@code POST /pt/rotate} (changeSessionId plus a
 * write), {@code POST /pt/write}, {@code GET /pt/read}. A request without a live session gets 404.
 */
@WebServlet(urlPatterns = "/pt/*")
public class PurgeTestServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo();
        if ("/create".equals(action)) {
            HttpSession session = request.getSession(true);
            session.setAttribute("owner", request.getParameter("owner"));
            session.setAttribute("writes", 0);
            response.getWriter().write(session.getId());
            return;
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            response.sendError(404, "no session");
            return;
        }
        if ("/rotate".equals(action)) {
            request.changeSessionId();
        }
        Integer writes = (Integer) session.getAttribute("writes");
        session.setAttribute("writes", writes == null ? 1 : writes + 1);
        response.getWriter().write(session.getId());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session == null) {
            response.sendError(404, "no session");
            return;
        }
        response.getWriter().write(String.valueOf(session.getAttribute("owner")));
    }
}
