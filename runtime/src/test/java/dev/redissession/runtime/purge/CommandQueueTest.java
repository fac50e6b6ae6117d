package dev.redissession.runtime.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

class CommandQueueTest {

    /** Commands that run until the test completes or fails them, in the order they started. */
    private final List<CompletableFuture<String>> started = new ArrayList<>();

    private Uni<String> command() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<String> answer = new CompletableFuture<>();
            started.add(answer);
            return Uni.createFrom().completionStage(answer);
        });
    }

    @Test
    void atMostMaxRunAndTheOthersStartInOrderAsPlacesFree() {
        CommandQueue queue = new CommandQueue(2);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queue.submit(this::command).subscribe().with(results::add, failure -> results.add("failed"));
        }
        assertEquals(2, started.size());
        started.get(0).complete("a");
        assertEquals(3, started.size());
        started.get(1).completeExceptionally(new IllegalStateException("refused"));
        assertEquals(4, started.size(), "a failed command frees its place too");
        started.get(3).complete("d");
        started.get(2).complete("c");
        assertEquals(5, started.size());
        started.get(4).complete("e");
        assertEquals(List.of("a", "failed", "d", "c", "e"), results);
    }

    @Test
    void aCancelledWaiterNeverRunsAndACancelledCommandFreesItsPlace() {
        CommandQueue queue = new CommandQueue(1);
        Cancellable running = queue.submit(this::command).subscribe().with(item -> {
        });
        Cancellable waiter = queue.submit(this::command).subscribe().with(item -> {
        });
        List<String> results = new ArrayList<>();
        queue.submit(this::command).subscribe().with(results::add);
        waiter.cancel();
        running.cancel();
        assertEquals(2, started.size(), "the cancelled waiter was skipped, the third command runs");
        started.get(1).complete("third");
        assertEquals(List.of("third"), results);
        queue.submit(this::command).subscribe().with(results::add);
        assertEquals(3, started.size(), "every place came back");
    }

    @Test
    void refusesNoPlaces() {
        assertThrows(IllegalArgumentException.class, () -> new CommandQueue(0));
    }
}
