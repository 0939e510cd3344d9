package dev.hypha.model;

import java.util.List;

/**
 * An owner of nodes and workloads; credit moves between members.
 *
 * @param balance     micro-credits; positive when the member has given more than it took
 * @param creditLimit the hard limit (a negative number of micro-credits) below which new placements are refused
 */
public record Member(String id, long balance, long creditLimit, List<String> nodes) {
    public Member {
        Validation.name("member", id);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
