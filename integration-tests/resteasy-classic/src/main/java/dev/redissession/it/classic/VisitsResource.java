package dev.redissession.it.classic;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The RESTEasy Classic side: reads the session the servlet wrote, through the servlet request RESTEasy Classic runs
 * in on Undertow.
 */
@Path("/api/visits")
public class VisitsResource {

    @Context
    HttpServletRequest request;

    /** The session's visit count, or 0 without a session (none is created here). */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String visits() {
        HttpSession session = request.getSession(false);
        Object visits = session == null ? null : session.getAttribute(VisitServlet.VISITS);
        return String.valueOf(visits == null ? 0 : visits);
    }
}
