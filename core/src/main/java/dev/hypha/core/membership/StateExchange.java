package dev.hypha.core.membership;

import dev.hypha.spi.MemberInfo;
import java.util.List;
import java.util.Objects;

/**
 * A full copy of one member's view, exchanged over a reliable stream (TCP) for joins and for
 * push-pull anti-entropy.
 *
 * <p>Requests ({@link Kind#JOIN}, {@link Kind#PUSH_PULL}) are answered with the receiver's own view
 * ({@link Kind#JOIN_REPLY}, {@link Kind#PUSH_PULL_REPLY}) on the same stream; both sides merge.
 */
public record StateExchange(Kind kind, String fromId, String fromAddress, List<MemberInfo> members) {
    public StateExchange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fromId, "fromId");
        Objects.requireNonNull(fromAddress, "fromAddress");
        members = List.copyOf(members);
    }

    /** What the exchange is for, and whether it is a request or its reply. */
    public enum Kind {
        JOIN, JOIN_REPLY, PUSH_PULL, PUSH_PULL_REPLY;

        public boolean isReply() {
            return this == JOIN_REPLY || this == PUSH_PULL_REPLY;
        }

        public Kind reply() {
            return switch (this) {
                case JOIN -> JOIN_REPLY;
                case PUSH_PULL -> PUSH_PULL_REPLY;
                case JOIN_REPLY, PUSH_PULL_REPLY -> throw new IllegalStateException(this + " is already a reply");
            };
        }
    }
}
