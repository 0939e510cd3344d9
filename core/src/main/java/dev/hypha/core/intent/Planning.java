package dev.hypha.core.intent;

import dev.hypha.model.Node;
import dev.hypha.model.NodeState;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Resources;
import dev.hypha.model.WorkloadSpec;
import dev.hypha.model.intent.IntentApplication;
import dev.hypha.model.intent.IntentConstraints;
import dev.hypha.model.intent.IntentPlan;
import dev.hypha.model.intent.IntentSpec;
import dev.hypha.model.intent.PlannedPlacement;
import dev.hypha.model.intent.UnmetPreference;
import dev.hypha.spi.ClusterSnapshot;
import dev.hypha.spi.NodeSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** One run of {@link IntentPlanner}: the state of planning one spec against one snapshot. Not shared. */
final class Planning {

    /** A node that can take at least one replica, with what a replica costs there. */
    private record Candidate(NodeSnapshot snapshot, int slots, ReplicaFootprint footprint, boolean preferred,
                             double score) {
        String id() {
            return snapshot.id();
        }

        String region() {
            return snapshot.node().region();
        }

        double cost() {
            return footprint.costPerHour();
        }
    }

    private final IntentSpec spec;
    private final IntentConstraints limits;
    private final Resources request;
    private final String workloadName;
    private final String releasedWorkload;
    private final Resources releasedRequest;
    private final ClusterSnapshot cluster;
    private final boolean spread;

    private List<Candidate> candidates;
    private List<Candidate> cheapestFirst;

    /**
     * @param releasedWorkload the workload whose replicas count as free (a re-plan), or null
     * @param releasedRequest  what each of its replicas holds now (the request they were started with)
     */
    Planning(IntentSpec spec, String workloadName, String releasedWorkload, Resources releasedRequest,
             ClusterSnapshot cluster) {
        this.spec = spec;
        this.limits = spec.constraints();
        this.request = spec.application().resources();
        this.workloadName = workloadName;
        this.releasedWorkload = releasedWorkload;
        this.releasedRequest = releasedRequest;
        this.cluster = cluster;
        this.spread = spec.intent().spreadsReplicas();
    }

    PlanResult run() {
        // 1. Filter: alive, in the required regions, under the carbon cap, with room for a replica.
        List<NodeSnapshot> all = cluster.nodes().stream().sorted(Comparator.comparing(NodeSnapshot::id)).toList();
        List<NodeSnapshot> alive = all.stream().filter(n -> n.node().state() == NodeState.ALIVE).toList();
        List<NodeSnapshot> allowed = alive.stream().filter(this::allowed).toList();
        List<NodeSnapshot> fitting = allowed.stream().filter(n -> slotsOn(n) > 0).toList();
        if (fitting.isEmpty()) return noNodeCanHost(all, alive, allowed);

        // 2. Price one replica on each candidate and rank the candidates.
        List<ReplicaFootprint> footprints = fitting.stream().map(n -> ReplicaFootprint.of(n.node(), request)).toList();
        double[] scores = NodeRanking.forPriority(limits.ecologicalPriority()).scores(fitting, footprints);
        List<Candidate> built = new ArrayList<>();
        for (int i = 0; i < fitting.size(); i++) {
            NodeSnapshot n = fitting.get(i);
            built.add(new Candidate(n, slotsOn(n), footprints.get(i), limits.prefersRegion(n.node().region()),
                    scores[i]));
        }
        candidates = List.copyOf(built);
        cheapestFirst = candidates.stream()
                .sorted(Comparator.comparingDouble(Candidate::cost).thenComparing(Candidate::id)).toList();

        // 3. Count: as many as wanted, as the nodes hold and as the budget allows.
        int min = limits.minReplicas();
        int target = spread ? limits.maxReplicas() : min;
        long capacity = candidates.stream().mapToLong(Candidate::slots).sum();
        int affordable = affordable(target);
        int count = (int) Math.min(target, Math.min(capacity, affordable));
        if (count < min) return tooFew(count, capacity, affordable);

        // 4. Pick the nodes, then say what could not be honoured.
        List<PlannedPlacement> placements = select(count);
        List<UnmetPreference> unmet = new ArrayList<>();
        if (spread && count < limits.maxReplicas()) unmet.add(shortOfMaxReplicas(count, capacity, affordable));
        unmet.addAll(unmetRegionPreferences(placements));
        return new PlanResult.Feasible(IntentPlan.of(placements, unmet), workload(count));
    }

    // ---- filtering ---------------------------------------------------------------------------

    private boolean allowed(NodeSnapshot n) {
        return limits.allowsRegion(n.node().region()) && limits.allowsCarbonIntensity(n.node().carbonIntensity());
    }

    /** Free resources of a node, counting the released workload's replicas as free (never above capacity). */
    private Resources freeOn(NodeSnapshot n) {
        Resources free = n.free();
        Resources capacity = n.node().capacity();
        long own = releasedWorkload == null ? 0 : n.countOf(releasedWorkload);
        if (own == 0) return free;
        return new Resources(
                Math.min(capacity.cpuMillicores(), free.cpuMillicores() + own * releasedRequest.cpuMillicores()),
                Math.min(capacity.memoryMb(), free.memoryMb() + own * releasedRequest.memoryMb()),
                Math.min(capacity.diskMb(), free.diskMb() + own * releasedRequest.diskMb()));
    }

    /** How many replicas fit on the node now: one at most when each replica needs its own node. */
    private int slotsOn(NodeSnapshot n) {
        Resources free = freeOn(n);
        long slots = Math.min(free.cpuMillicores() / request.cpuMillicores(), free.memoryMb() / request.memoryMb());
        if (request.diskMb() > 0) slots = Math.min(slots, free.diskMb() / request.diskMb());
        return (int) Math.min(slots, spread ? 1 : WorkloadSpec.MAX_REPLICAS);
    }

    // ---- counting ----------------------------------------------------------------------------

    /** The most replicas, up to {@code limit}, whose cheapest placement fits the budget. */
    private int affordable(int limit) {
        if (limits.maxCostPerHour() == null) return limit;
        int count = 0;
        double spent = 0;
        for (Candidate c : cheapestFirst) {
            for (int i = 0; i < c.slots(); i++) {
                if (count == limit || !limits.withinBudget(spent + c.cost())) return count;
                spent += c.cost();
                count++;
            }
        }
        return count;
    }

    /** The cost of the {@code n} cheapest replicas the candidates can hold (infinite when they hold fewer). */
    private double cheapestCost(int n) {
        double sum = 0;
        int needed = n;
        for (Candidate c : cheapestFirst) {
            int take = Math.min(c.slots(), needed);
            for (int i = 0; i < take; i++) sum += c.cost();
            needed -= take;
        }
        return needed == 0 ? sum : Double.POSITIVE_INFINITY;
    }

    // ---- selection ---------------------------------------------------------------------------

    /**
     * Picks {@code count} replicas. Each pick takes the first candidate in the order preferred
     * region, unused region (when spreading), score, node id, with as many replicas as it can hold
     * (one when spreading) and the budget allows: a pick of t replicas on node c is allowed when
     * {@code spent + t × cost(c) + the cheapest way to place the rest} fits the budget, so the
     * plan never paints itself into a corner. {@code count} must be at most what the capacity and
     * the budget allow.
     */
    private List<PlannedPlacement> select(int count) {
        int n = candidates.size();
        Candidate[] candidateList = candidates.toArray(new Candidate[0]);
        int[] left = new int[n];
        double[] costs = new double[n];
        for (int i = 0; i < n; i++) {
            left[i] = candidateList[i].slots();
            costs[i] = candidateList[i].cost();
        }
        int[] cheapOrder = indexOrder(Comparator.comparingDouble(Candidate::cost).thenComparing(Candidate::id));
        int[] rankOrder = indexOrder(Comparator.comparing((Candidate c) -> !c.preferred())
                .thenComparingDouble(Candidate::score).thenComparing(Candidate::id));
        // Regions as small numbers, so the scan below does no hashing.
        List<String> regionNames = candidates.stream().map(Candidate::region).distinct().sorted().toList();
        int[] regionOf = new int[n];
        for (int i = 0; i < n; i++) regionOf[i] = regionNames.indexOf(candidates.get(i).region());
        boolean[] regionUsed = new boolean[regionNames.size()];
        List<PlannedPlacement> placements = new ArrayList<>();
        double spent = 0;
        while (placements.size() < count) {
            int needed = count - placements.size();
            Completion rest = limits.maxCostPerHour() == null ? null : new Completion(needed, left, cheapOrder, costs);
            int chosen = -1;
            int taken = 0;
            // Classes in rank order: (preferred, unused region), (preferred, used), (other, unused), (other, used).
            search:
            for (boolean preferredClass : new boolean[] {true, false}) {
                for (boolean usedClass : spread ? new boolean[] {false, true} : new boolean[] {false}) {
                    for (int i : rankOrder) {
                        Candidate c = candidateList[i];
                        if (left[i] == 0 || c.preferred() != preferredClass
                                || (spread && regionUsed[regionOf[i]] != usedClass)) continue;
                        int t = mostAffordable(i, Math.min(left[i], needed), spent, rest);
                        if (t > 0) {
                            chosen = i;
                            taken = t;
                            break search;
                        }
                    }
                }
            }
            if (chosen < 0) {
                // Unreachable when count is affordable: the cheapest replica always completes within
                // budget. Kept as a guard against rounding, it falls back to that cheapest replica.
                for (int i : cheapOrder) {
                    if (left[i] > 0) {
                        chosen = i;
                        taken = 1;
                        break;
                    }
                }
            }
            Candidate c = candidateList[chosen];
            for (int k = 0; k < taken; k++) {
                placements.add(placement(c));
                spent += c.cost();
            }
            left[chosen] -= taken;
            regionUsed[regionOf[chosen]] = true;
        }
        return placements;
    }

    /**
     * The most replicas, up to {@code most}, that candidate {@code i} may take now. Taking t
     * replicas there and the rest as cheaply as possible is the cheapest choice of the remaining
     * replicas with at least t on {@code i}, which can only grow with t: so a binary search finds
     * the largest t that fits the budget.
     */
    private int mostAffordable(int i, int most, double spent, Completion rest) {
        if (rest == null) return most;
        double cost = candidates.get(i).cost();
        int lo = 0;
        int hi = most;
        while (lo < hi) {
            int t = (lo + hi + 1) >>> 1;
            if (limits.withinBudget(spent + cost * t + rest.without(i, t, cost))) lo = t;
            else hi = t - 1;
        }
        return lo;
    }

    private int[] indexOrder(Comparator<Candidate> order) {
        return IntStream.range(0, candidates.size()).boxed()
                .sorted(Comparator.comparing(candidates::get, order)).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The cheapest ways to place the {@code needed} replicas still to pick, for the budget
     * look-ahead: the slots left, cheapest first (cost, then node id), as prefix sums, and where
     * each candidate's block of slots starts in that order.
     */
    private static final class Completion {
        private final int needed;
        private final double[] prefix;
        private final int[] start;
        private final int[] left;

        Completion(int needed, int[] left, int[] cheapOrder, double[] costs) {
            this.needed = needed;
            this.left = left;
            this.prefix = new double[needed + 1];
            this.start = new int[left.length];
            Arrays.fill(start, Integer.MAX_VALUE);
            int position = 0;
            for (int i : cheapOrder) {
                if (position == needed) break;
                if (left[i] == 0) continue;
                start[i] = position;
                int take = Math.min(left[i], needed - position);
                for (int k = 0; k < take; k++, position++) prefix[position + 1] = prefix[position] + costs[i];
            }
            for (int k = position + 1; k <= needed; k++) prefix[k] = Double.POSITIVE_INFINITY;
        }

        /**
         * The cheapest cost of the other {@code needed − t} replicas once candidate {@code i}
         * (slots of cost {@code cost}) has taken {@code t}: the last t slots of its block leave the
         * order. When its block ends inside the first {@code needed} slots, those t slots were
         * among them and the next t cheapest fill in; otherwise the first {@code needed − t} slots
         * are unchanged.
         */
        double without(int i, int t, double cost) {
            int j = needed - t;
            long blockEnd = (long) start[i] + left[i];
            if (start[i] == Integer.MAX_VALUE || j <= blockEnd - t) return prefix[j];
            return prefix[needed] - cost * t;
        }
    }

    private static PlannedPlacement placement(Candidate c) {
        Node node = c.snapshot().node();
        return new PlannedPlacement(node.id(), node.region(), c.cost(), node.carbonIntensity(),
                c.footprint().co2GramsPerHour());
    }

    private WorkloadSpec workload(int replicas) {
        IntentApplication app = spec.application();
        return new WorkloadSpec(workloadName, app.image(), app.command(), replicas, app.resources(),
                spec.intent().restartPolicy(), spec.member(), app.env(),
                new PlacementConstraints(false, limits.requiredRegions()));
    }

    // ---- what could not be honoured ----------------------------------------------------------

    private UnmetPreference shortOfMaxReplicas(int count, long capacity, int affordable) {
        String because = capacity < limits.maxReplicas()
                ? "only " + Describe.nodes(capacity) + scope() + (capacity == 1 ? " has " : " have ")
                        + Describe.resources(request) + " free, and each replica needs its own node"
                : "max_cost_per_hour " + budget() + " allows at most "
                        + Describe.replicas(affordable);
        return new UnmetPreference("max_replicas", count + " of max_replicas " + limits.maxReplicas() + ": " + because);
    }

    private List<UnmetPreference> unmetRegionPreferences(List<PlannedPlacement> placements) {
        List<UnmetPreference> unmet = new ArrayList<>();
        int count = placements.size();
        List<String> preferred = limits.preferredRegions();
        if (!preferred.isEmpty() && count > 0) {
            long outside = placements.stream().filter(p -> !preferred.contains(p.region())).count();
            if (outside > 0) {
                long roomInPreferred = candidates.stream().filter(Candidate::preferred).mapToLong(Candidate::slots).sum();
                String because = roomInPreferred == 0
                        ? "no alive node there" + carbonScope() + " has " + Describe.resources(request) + " free"
                        : roomInPreferred < count
                                ? "their nodes have room for only " + Describe.replicas(roomInPreferred)
                                        + (spread ? ", one per node" : "")
                                : "keeping all there would exceed max_cost_per_hour " + budget();
                unmet.add(new UnmetPreference("preferred_regions", outside + " of " + Describe.replicas(count)
                        + (outside == 1 ? " runs" : " run") + " outside preferred_regions " + preferred + ": " + because));
            }
            if (spread) {
                Set<String> used = placements.stream().map(PlannedPlacement::region).collect(Collectors.toSet());
                for (String region : preferred) {
                    if (used.contains(region)) continue;
                    boolean hasRoom = candidates.stream().anyMatch(c -> c.region().equals(region));
                    String because = !hasRoom
                            ? "no alive node there" + carbonScope() + " has " + Describe.resources(request) + " free"
                            : count < preferred.size()
                                    ? Describe.replicas(count) + " cannot cover " + preferred.size() + " preferred regions"
                                    : "its nodes would exceed max_cost_per_hour " + budget();
                    unmet.add(new UnmetPreference("preferred_regions", region + " has no replica: " + because));
                }
            }
        }
        // A single required region, or preferred regions that hold every replica, are the user's own
        // choice of where to run: only a spread lost to the budget or to the cluster is worth reporting.
        if (spread && count >= 2 && limits.requiredRegions().size() != 1) {
            Set<String> used = new LinkedHashSet<>(placements.stream().map(PlannedPlacement::region).toList());
            Set<String> possible = new TreeSet<>(candidates.stream().map(Candidate::region).toList());
            boolean keptByPreference = !preferred.isEmpty()
                    && placements.stream().allMatch(p -> preferred.contains(p.region()));
            if (possible.size() == 1) {
                unmet.add(new UnmetPreference("region_spread", "every replica is in " + possible.iterator().next()
                        + ": no other region" + regionScope() + " has an alive node" + carbonScope() + " with "
                        + Describe.resources(request) + " free"));
            } else if (used.size() < Math.min(count, possible.size()) && !keptByPreference) {
                unmet.add(new UnmetPreference("region_spread", "replicas span " + used.size() + " of the "
                        + Math.min(count, possible.size()) + " regions they could: more regions would exceed"
                        + " max_cost_per_hour " + budget()));
            }
        }
        return unmet;
    }

    // ---- infeasible --------------------------------------------------------------------------

    private PlanResult noNodeCanHost(List<NodeSnapshot> all, List<NodeSnapshot> alive, List<NodeSnapshot> allowed) {
        IntentPlan none = IntentPlan.empty(List.of());
        if (all.isEmpty()) return new PlanResult.Infeasible("cluster", "the cluster has no nodes", none);
        if (alive.isEmpty()) {
            return new PlanResult.Infeasible("cluster", "no node is alive: " + countByState(all), none);
        }
        List<NodeSnapshot> inRegions = alive.stream().filter(n -> limits.allowsRegion(n.node().region())).toList();
        if (inRegions.isEmpty()) {
            Set<String> aliveRegions = new TreeSet<>(alive.stream().map(n -> n.node().region()).toList());
            return new PlanResult.Infeasible("required_regions", "no alive node is in required_regions "
                    + limits.requiredRegions() + "; alive nodes are in " + aliveRegions, none);
        }
        if (allowed.isEmpty()) {
            NodeSnapshot cleanest = inRegions.stream().min(Comparator.comparingDouble((NodeSnapshot n) ->
                    n.node().carbonIntensity()).thenComparing(NodeSnapshot::id)).orElseThrow();
            return new PlanResult.Infeasible("max_carbon_intensity", "no alive node" + regionScope()
                    + " has carbon_intensity at most " + Describe.number(limits.maxCarbonIntensity())
                    + " g/kWh; the lowest is " + Describe.number(cleanest.node().carbonIntensity()) + " g/kWh on "
                    + cleanest.id(), none);
        }
        // Some nodes are allowed but none has room: name the limit whose relaxing would help.
        List<NodeSnapshot> roomElsewhere = alive.stream().filter(n -> !allowed(n) && slotsOn(n) > 0).toList();
        String constraint;
        if (roomElsewhere.stream().anyMatch(n -> !limits.allowsRegion(n.node().region()))) {
            constraint = "required_regions";
        } else if (!roomElsewhere.isEmpty()) {
            constraint = "max_carbon_intensity";
        } else {
            constraint = "application.resources";
        }
        NodeSnapshot roomiest = allowed.stream().max(Comparator.comparingDouble(this::fitFraction)
                .thenComparing(NodeSnapshot::id, Comparator.reverseOrder())).orElseThrow();
        Resources most = freeOn(roomiest);
        return new PlanResult.Infeasible(constraint, "no alive node" + scope() + " has " + Describe.resources(request)
                + " free; the most free is " + Describe.free(most, request) + " on " + roomiest.id(), none);
    }

    /** How close a node is to holding one replica: the smallest ratio of free to requested over what is requested. */
    private double fitFraction(NodeSnapshot n) {
        Resources free = freeOn(n);
        double fraction = Math.min((double) free.cpuMillicores() / request.cpuMillicores(),
                (double) free.memoryMb() / request.memoryMb());
        return request.diskMb() > 0 ? Math.min(fraction, (double) free.diskMb() / request.diskMb()) : fraction;
    }

    private PlanResult tooFew(int possible, long capacity, int affordable) {
        int min = limits.minReplicas();
        List<PlannedPlacement> placements = select(possible);
        IntentPlan best = IntentPlan.of(placements, unmetRegionPreferences(placements));
        if (capacity < min) {
            String detail = spread
                    ? "min_replicas is " + min + " but only " + Describe.nodes(capacity) + scope()
                            + (capacity == 1 ? " has " : " have ") + Describe.resources(request) + " free, and " + spec.intent().wire()
                            + " puts each replica on its own node"
                    : "min_replicas is " + min + " but the alive nodes" + scope() + " have room for only "
                            + Describe.replicas(capacity) + " of " + Describe.resources(request);
            return new PlanResult.Infeasible("min_replicas", detail, best);
        }
        double cheapestMin = cheapestCost(min);
        String detail = "max_cost_per_hour " + budget() + " allows at most " + Describe.replicas(affordable)
                + "; min_replicas is " + min + " (the cheapest " + min + " cost " + Describe.money(cheapestMin)
                + " per hour)";
        return new PlanResult.Infeasible("max_cost_per_hour", detail, best);
    }

    // ---- wording -----------------------------------------------------------------------------

    private String budget() {
        return limits.maxCostPerHour() == null ? "(none)" : Describe.money(limits.maxCostPerHour());
    }

    private String scope() {
        return regionScope() + carbonScope();
    }

    private String regionScope() {
        return limits.requiredRegions().isEmpty() ? "" : " in required_regions " + limits.requiredRegions();
    }

    private String carbonScope() {
        return limits.maxCarbonIntensity() == null ? ""
                : " with carbon_intensity at most " + Describe.number(limits.maxCarbonIntensity()) + " g/kWh";
    }

    private static String countByState(List<NodeSnapshot> nodes) {
        Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
        for (NodeSnapshot n : nodes) counts.merge(n.node().state(), 1, Integer::sum);
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().wire())
                .collect(Collectors.joining(", "));
    }
}
