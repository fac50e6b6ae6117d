package dev.redissession.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.redissession.servlet.ServletSessions;

/**
 * {@code POST /demo/cart/items} appends its JSON body to the list attribute {@code cart} (creating the session and the
 * list if needed) and returns the list; {@code GET /demo/cart} returns it ({@code []} without one). The append is an
 * atomic update ({@code ServletSessions.update}): parallel adds to one cart, on any replicas, all land.
 */
@WebServlet(urlPatterns = { "/demo/cart", "/demo/cart/items" })
public class CartServlet extends HttpServlet {

    static final String ATTRIBUTE = "cart";

    @Inject
    JsonHttp json;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getServletPath().equals("/demo/cart")) {
            json.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    "Add items with POST /demo/cart/items; read the cart with GET /demo/cart");
            return;
        }
        HttpSession session = request.getSession(false);
        Object cart = session == null ? null : session.getAttribute(ATTRIBUTE);
        if (cart != null && !(cart instanceof List)) {
            notAList(response);
            return;
        }
        json.write(response, HttpServletResponse.SC_OK, cart == null ? List.of() : cart);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getServletPath().equals("/demo/cart/items")) {
            json.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    "Add items with POST /demo/cart/items");
            return;
        }
        Object item;
        try {
            item = json.toValue(json.readBody(request));
        } catch (JsonHttp.BadRequest bad) {
            json.error(response, bad);
            return;
        }
        HttpSession session = request.getSession(true);
        if (session.getAttribute(ATTRIBUTE) != null && !(session.getAttribute(ATTRIBUTE) instanceof List)) {
            notAList(response);
            return;
        }
        // Atomic: parallel adds to one cart all land (the function runs again on the newer cart after a conflict).
        List<Object> items = ServletSessions.update(session, ATTRIBUTE, (List<Object> cart) -> withItem(cart, item));
        json.write(response, HttpServletResponse.SC_OK, items);
    }

    /** A new list: the function may run more than once, so it must not change what it is given. */
    static List<Object> withItem(List<Object> cart, Object item) {
        List<Object> items = cart == null ? new ArrayList<>() : new ArrayList<>(cart);
        items.add(item);
        return items;
    }

    private void notAList(HttpServletResponse response) throws IOException {
        json.error(response, HttpServletResponse.SC_CONFLICT, "cart_not_a_list",
                "The session attribute 'cart' holds something other than a list; remove it with "
                        + "PUT /demo/attributes/cart and the body null");
    }
}
