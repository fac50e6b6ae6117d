package dev.redissession.it.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.redissession.RedisSession;

/**
 * {@code POST /demo/cart/items} appends its JSON body to the list attribute {@code cart} (creating the session and the
 * list if needed) and returns the list; {@code GET /demo/cart} returns it ({@code []} without one). The append is an
 * atomic update ({@code RedisSession.update}): parallel adds to one cart, on any replicas, all land.
 */
@Path("/demo/cart")
public class CartResource {

    @Inject
    RedisSession session;
    @Inject
    JsonAnswers json;

    @GET
    public Response cart() {
        Object cart = session.getAttribute("cart");
        return json.ok(cart == null ? List.of() : list(cart));
    }

    @POST
    @Path("/items")
    public Response add(byte[] body) {
        Object item = json.parseValue(body);
        Object cart = session.getAttribute("cart");
        if (cart != null) {
            list(cart); // a cart that is no list is a 409, as the servlet answers
        }
        // A new list each time: the function runs again on the newer cart after a conflict.
        List<Object> items = session.update("cart", (List<Object> old) -> {
            List<Object> next = old == null ? new ArrayList<>() : new ArrayList<>(old);
            next.add(item);
            return next;
        });
        return json.ok(items);
    }

    /** The methods the servlet answers itself: the other of the two paths. */
    @POST
    public Response postToCart() {
        throw methodNotAllowed("Add items with POST /demo/cart/items");
    }

    @GET
    @Path("/items")
    public Response getItems() {
        throw methodNotAllowed("Add items with POST /demo/cart/items; read the cart with GET /demo/cart");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object cart) {
        if (cart instanceof List) {
            return (List<Object>) cart;
        }
        throw new ContractError(Response.Status.CONFLICT, "cart_not_a_list",
                "The session attribute 'cart' holds something other than a list; remove it with "
                        + "PUT /demo/attributes/cart and the body null");
    }

    private static ContractError methodNotAllowed(String message) {
        return new ContractError(Response.Status.METHOD_NOT_ALLOWED, "method_not_allowed", message);
    }
}
