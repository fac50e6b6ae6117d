package dev.redissession.demo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.redissession.TenantIds;
import dev.redissession.TenantResolver;
import dev.redissession.servlet.ServletSessions;

/**
 * {@code POST /demo/login}: stores the user in the session and answers with what it stored (absent fields omitted).
 * An existing session keeps its other attributes but gets a new id (protection against session fixation); otherwise
 * a new session is created.
 */
@WebServlet(urlPatterns = "/demo/login")
public class LoginServlet extends HttpServlet {

    @Inject
    JsonHttp json;
    @Inject
    TenantResolver tenants;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LoginRequest login;
        try {
            login = LoginRequest.from(json.readBody(request));
        } catch (JsonHttp.BadRequest bad) {
            json.error(response, bad);
            return;
        }
        // Invalid tenant: InvalidTenantException, which the extension answers with 400.
        String tenant = TenantIds.require(tenants.resolve(ServletSessions.currentRequest()));

        HttpSession session = request.getSession(false);
        if (session != null) {
            request.changeSessionId();
        } else {
            session = request.getSession(true);
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("user_id", login.userId());
        user.put("tenant_id", tenant);
        user.put("email", login.email());
        user.put("name", login.name());
        user.put("roles", login.roles());
        for (Map.Entry<String, Object> attribute : user.entrySet()) {
            // null removes what an earlier login of this session stored
            session.setAttribute(attribute.getKey(), attribute.getValue());
        }
        user.values().removeIf(Objects::isNull);
        json.write(response, HttpServletResponse.SC_OK, user);
    }
}
