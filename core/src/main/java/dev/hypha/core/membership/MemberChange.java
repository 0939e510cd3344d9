package dev.hypha.core.membership;

import dev.hypha.model.NodeState;
import dev.hypha.spi.MemberInfo;
import java.util.Objects;

/**
 * A member's state or metadata changed in the local view.
 *
 * @param member   the member as it is now
 * @param previous its state before, or null when the member was not known
 */
public record MemberChange(MemberInfo member, NodeState previous) {
    public MemberChange {
        Objects.requireNonNull(member, "member");
    }

    /** True when only the metadata (or address) changed, not the state. */
    public boolean isUpdate() {
        return previous == member.state();
    }
}
