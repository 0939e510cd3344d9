package dev.hypha.spi;

/** The scheduler's answer: a node, or the reasons no node fits. Both carry the full decision for explain. */
public sealed interface Placement permits Placement.Assigned, Placement.Unplaceable {
    Decision decision();

    record Assigned(String nodeId, Decision decision) implements Placement {}

    record Unplaceable(Decision decision) implements Placement {}
}
