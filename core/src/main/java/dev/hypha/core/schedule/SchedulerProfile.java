package dev.hypha.core.schedule;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named scheduler configuration: which filters run (in order), which scores count and how much,
 * and how many of the best candidates a decision keeps for explanation.
 *
 * <p>Validated when built, so a misconfigured profile fails at startup with a sentence, not in the
 * middle of a placement.
 *
 * @param filters       run in order; the first that rejects a node decides the counted reason, so
 *                      cheap and common rejections belong first
 * @param topCandidates how many of the best feasible nodes a decision keeps, with per-plugin scores
 */
public record SchedulerProfile(String name, List<FilterPlugin> filters, List<WeightedScore> scorers,
                               int topCandidates) {
    /** Enough candidates to explain a choice; more would only grow every stored decision. */
    public static final int MAX_TOP_CANDIDATES = 50;

    public SchedulerProfile {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a scheduler profile needs a name");
        Objects.requireNonNull(filters, "profile '" + name + "': filters must not be null (use an empty list)");
        Objects.requireNonNull(scorers, "profile '" + name + "': scorers must not be null (use an empty list)");
        Set<String> filterNames = new HashSet<>();
        for (FilterPlugin f : filters) {
            if (f == null) throw new IllegalArgumentException("profile '" + name + "' has a null filter plugin");
            if (f.name() == null || f.name().isBlank()) {
                throw new IllegalArgumentException("profile '" + name + "': filter plugin " + f.getClass().getName()
                        + " has no name");
            }
            if (!filterNames.add(f.name())) {
                throw new IllegalArgumentException("profile '" + name + "' lists filter plugin '" + f.name() + "' twice");
            }
        }
        Set<String> scoreNames = new HashSet<>();
        for (WeightedScore s : scorers) {
            if (s == null) throw new IllegalArgumentException("profile '" + name + "' has a null score plugin");
            if (!scoreNames.add(s.name())) {
                throw new IllegalArgumentException("profile '" + name + "' lists score plugin '" + s.name() + "' twice");
            }
        }
        if (topCandidates < 1 || topCandidates > MAX_TOP_CANDIDATES) {
            throw new IllegalArgumentException("profile '" + name + "': topCandidates must be between 1 and "
                    + MAX_TOP_CANDIDATES + ", got " + topCandidates);
        }
        filters = List.copyOf(filters);
        scorers = List.copyOf(scorers);
    }
}
