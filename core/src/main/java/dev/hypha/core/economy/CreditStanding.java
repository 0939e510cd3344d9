package dev.hypha.core.economy;

/**
 * Where a member stands against its credit limits, as {@link CreditPolicy#check} decides.
 *
 * <p>How the control plane uses it:
 * <ul>
 *   <li>{@link Ok}: placements as usual.</li>
 *   <li>{@link LowPriority}: the member is below its soft limit. The controller places its pending
 *       replicas after those of every member in good standing within the same round
 *       ({@link CreditPolicy#placementOrder}), so scarce capacity goes first to members that give
 *       back; nothing that already runs is stopped.</li>
 *   <li>{@link Refused}: the member is below its hard limit. It may not place new replicas on
 *       other members' nodes (the mycelial profile's {@code CreditLimitFilter} drops them, so the
 *       scheduler answers Unplaceable and says why); it may still use its own nodes, and running
 *       replicas keep running. Its nodes earn credit by hosting others' work until it is back
 *       above the limit.</li>
 * </ul>
 */
public sealed interface CreditStanding permits CreditStanding.Ok, CreditStanding.LowPriority, CreditStanding.Refused {
    String member();

    /** Position in the placement order: members with a lower rank place first. */
    int rank();

    /** A sentence for people (status messages, CLI, scheduler explanations). */
    String message();

    /** At or above the soft limit. */
    record Ok(String member) implements CreditStanding {
        public int rank() {
            return 0;
        }

        public String message() {
            return "member " + member + " is within its credit limits";
        }
    }

    /**
     * Below the soft limit, at or above the hard limit.
     *
     * @param amountUnder micro-credits below the soft limit (positive)
     */
    record LowPriority(String member, long amountUnder, long softLimit) implements CreditStanding {
        public int rank() {
            return 1;
        }

        public String message() {
            return "member " + member + " is " + Credits.format(amountUnder) + " credits over its soft credit limit of "
                    + Credits.format(softLimit) + ": its new work is placed after other members' work";
        }
    }

    /**
     * Below the hard limit: no new placements on other members' nodes.
     *
     * @param amountOver micro-credits below the hard limit (positive)
     */
    record Refused(String member, long amountOver, long hardLimit) implements CreditStanding {
        public int rank() {
            return 2;
        }

        public String message() {
            return "member " + member + " is " + Credits.format(amountOver) + " credits over its hard credit limit of "
                    + Credits.format(hardLimit);
        }
    }
}
