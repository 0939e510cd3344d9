package dev.hypha.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hypha.core.membership.SwimMessage.Alive;
import dev.hypha.core.membership.SwimMessage.Dead;
import dev.hypha.core.membership.SwimMessage.Suspect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BroadcastQueueTest {

    @Test
    void eachMessageLeavesAfterItsRetransmitLimit() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Suspect("a", 1, "x"), 10);
        for (int i = 0; i < 3; i++) assertThat(queue.take(100, 3)).hasSize(1);
        assertThat(queue.take(100, 3)).isEmpty();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void newerNewsAboutAMemberReplacesOlder() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Suspect("a", 1, "x"), 10);
        queue.enqueue("ma", new Alive("a", "a:1", 2, Map.of()), 10);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.take(100, 5)).containsExactly(new Alive("a", "a:1", 2, Map.of()));
    }

    @Test
    void leastSentFirstAndUnsentNewsNewestFirst() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Dead("a", 1, "x"), 10);
        assertThat(queue.take(100, 5)).hasSize(1); // a sent once
        queue.enqueue("mb", new Dead("b", 1, "x"), 10);
        queue.enqueue("mc", new Dead("c", 1, "x"), 10);
        List<SwimMessage> first = queue.take(20, 5);
        assertThat(first).containsExactly(new Dead("c", 1, "x"), new Dead("b", 1, "x"));
        // All sent once now: first in, first out.
        assertThat(queue.take(30, 5)).containsExactly(new Dead("a", 1, "x"), new Dead("c", 1, "x"),
                new Dead("b", 1, "x"));
    }

    @Test
    void aReplacedMessageIsNeverSentAgain() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Suspect("a", 1, "x"), 10);
        assertThat(queue.take(100, 5)).containsExactly(new Suspect("a", 1, "x"));
        queue.enqueue("ma", new Alive("a", "a:1", 2, Map.of()), 10);
        for (int i = 0; i < 5; i++) assertThat(queue.take(100, 5)).containsExactly(new Alive("a", "a:1", 2, Map.of()));
        assertThat(queue.take(100, 5)).isEmpty();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aMessageIsTakenAtMostOncePerPacket() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Dead("a", 1, "x"), 10);
        assertThat(queue.take(1000, 5)).hasSize(1);
    }

    @Test
    void onlyWhatFitsIsTakenAndTheRestWaits() {
        BroadcastQueue queue = new BroadcastQueue();
        queue.enqueue("ma", new Dead("a", 1, "x"), 60);
        queue.enqueue("mb", new Dead("b", 1, "x"), 30);
        assertThat(queue.take(40, 5)).containsExactly(new Dead("b", 1, "x"));
        assertThat(queue.take(59, 5)).containsExactly(new Dead("b", 1, "x"));
        assertThat(queue.take(60, 5)).containsExactly(new Dead("a", 1, "x"));
    }
}
