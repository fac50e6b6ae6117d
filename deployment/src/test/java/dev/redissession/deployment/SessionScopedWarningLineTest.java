package dev.redissession.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SessionScopedWarningLineTest {

    static final SessionScopedDoorBuildItem SERVLET = new SessionScopedDoorBuildItem("in servlets: A", "use a");
    static final SessionScopedDoorBuildItem REST = new SessionScopedDoorBuildItem("in quarkus-rest: B", "use b");

    @Test
    void namesTheBeanAndEveryDoorPresentInAStableOrder() {
        String both = SessionScopedWarning.line("x.Cart", List.of(SERVLET, REST));
        assertEquals(both, SessionScopedWarning.line("x.Cart", List.of(REST, SERVLET)));
        assertEquals("@SessionScoped bean x.Cart is not stored in Redis by quarkus-redis-session: in quarkus-rest: B; "
                + "in servlets: A. Keep its state in session attributes instead (use b, use a), as JSON values or as "
                + "classes registered with @SessionAttributeType (or quarkus.redis-session.attribute-types): those are "
                + "stored in Redis and shared by every replica.", both);
    }

    @Test
    void oneDoorIsTheOnlyOneNamed() {
        assertEquals("@SessionScoped bean x.Cart is not stored in Redis by quarkus-redis-session: in servlets: A. Keep "
                + "its state in session attributes instead (use a), as JSON values or as classes registered with "
                + "@SessionAttributeType (or quarkus.redis-session.attribute-types): those are stored in Redis and "
                + "shared by every replica.", SessionScopedWarning.line("x.Cart", List.of(SERVLET)));
    }
}
