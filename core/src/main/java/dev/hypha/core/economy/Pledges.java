package dev.hypha.core.economy;

import dev.hypha.model.Instance;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Node;
import dev.hypha.model.Resources;
import dev.hypha.model.economy.CreditBalance;
import dev.hypha.model.economy.Pledge;
import java.time.Instant;
import java.util.Collection;

/**
 * Pure functions over pledges: make one for a placed replica, and add them up into a node's
 * {@link CreditBalance} (the seed's pledged_out and received_in).
 *
 * <p>Only active pledges between different members count: a member hosting its own workload
 * pledges nothing to anyone.
 */
public final class Pledges {
    private Pledges() {}

    /** The deterministic id of the pledge made for a placed instance. */
    public static String idFor(String instanceId) {
        return "pledge:" + instanceId;
    }

    /** The pledge {@code node}'s member makes when {@code instance} is placed on it: the replica's requested resources. */
    public static Pledge forPlacement(Instance instance, Node node, Instant at) {
        if (instance.spec() == null) {
            throw new InvalidSpecException("instance " + instance.id() + " carries no spec, so its pledge is unknown");
        }
        if (!node.id().equals(instance.nodeId())) {
            throw new InvalidSpecException("instance " + instance.id() + " is assigned to " + instance.nodeId()
                    + ", not to " + node.id());
        }
        return new Pledge(idFor(instance.id()), node.id(), node.member(), instance.workload(),
                instance.spec().member(), instance.id(), instance.spec().resources(), at, null);
    }

    /** What {@code nodeId} currently holds for other members' workloads. */
    public static Resources pledgedOut(String nodeId, Collection<Pledge> pledges) {
        Resources sum = Resources.ZERO;
        for (Pledge p : pledges) {
            if (p.isActive() && p.crossesMembers() && p.nodeId().equals(nodeId)) sum = saturatingPlus(sum, p.resources());
        }
        return sum;
    }

    /** What other members' nodes currently hold for {@code member}'s workloads. */
    public static Resources receivedIn(String member, Collection<Pledge> pledges) {
        Resources sum = Resources.ZERO;
        for (Pledge p : pledges) {
            if (p.isActive() && p.crossesMembers() && p.workloadMember().equals(member)) {
                sum = saturatingPlus(sum, p.resources());
            }
        }
        return sum;
    }

    /**
     * {@code node}'s credit balance: its pledges out, what its member receives, and the given
     * reputation score and member balance (from the reputation book and the ledger).
     */
    public static CreditBalance creditBalance(Node node, Collection<Pledge> pledges, double reputationScore,
                                              long memberBalance) {
        return new CreditBalance(node.id(), node.member(), pledgedOut(node.id(), pledges),
                receivedIn(node.member(), pledges), reputationScore, memberBalance);
    }

    /**
     * Sum that stops at {@link Resources}' upper bounds: only a member receiving more than 1,024
     * cores from others reaches them, and an API answer must not fail because of it.
     */
    static Resources saturatingPlus(Resources a, Resources b) {
        return new Resources(Math.min(Resources.MAX_CPU_MILLICORES, a.cpuMillicores() + b.cpuMillicores()),
                Math.min(Resources.MAX_MEMORY_MB, a.memoryMb() + b.memoryMb()),
                Math.min(Resources.MAX_DISK_MB, a.diskMb() + b.diskMb()));
    }
}
