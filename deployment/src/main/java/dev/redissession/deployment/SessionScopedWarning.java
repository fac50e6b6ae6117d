package dev.redissession.deployment;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The build's one-line warning about one {@code @SessionScoped} bean, true for the doors the application has. */
final class SessionScopedWarning {

    private SessionScopedWarning() {
    }

    /** @param doors the doors present, at least one; listed in a stable order whatever order the build gives */
    static String line(String bean, List<SessionScopedDoorBuildItem> doors) {
        List<SessionScopedDoorBuildItem> sorted = doors.stream()
                .sorted(Comparator.comparing(SessionScopedDoorBuildItem::effect)).toList();
        return "@SessionScoped bean " + bean + " is not stored in Redis by quarkus-redis-session: "
                + sorted.stream().map(SessionScopedDoorBuildItem::effect).collect(Collectors.joining("; "))
                + ". Keep its state in session attributes instead ("
                + sorted.stream().map(SessionScopedDoorBuildItem::instead).collect(Collectors.joining(", "))
                + "), as JSON values or as classes registered with @SessionAttributeType (or "
                + "quarkus.redis-session.attribute-types): those are stored in Redis and shared by every replica.";
    }
}
