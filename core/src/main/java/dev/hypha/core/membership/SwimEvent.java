package dev.hypha.core.membership;

/**
 * Something that happened to the local member itself (not to a peer): worth logging and testing.
 */
public sealed interface SwimEvent {

    /** Others suspected or declared this member dead; it answered with a higher incarnation. */
    record Refuted(long incarnation) implements SwimEvent {}

    /** Lifeguard's local health score moved (0 is healthy); probe interval and timeout scale by score + 1. */
    record HealthChanged(int score) implements SwimEvent {}

    /** A seed answered a join with its view of {@code members} members. */
    record JoinCompleted(String seed, int members) implements SwimEvent {}

    /** A seed could not be reached, or did not answer the join. */
    record JoinFailed(String seed) implements SwimEvent {}

    /** Another process claims the name of a live member from a different address; the claim is ignored. */
    record AddressConflict(String member, String knownAddress, String claimedAddress) implements SwimEvent {}
}
