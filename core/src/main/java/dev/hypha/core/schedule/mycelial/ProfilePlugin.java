package dev.hypha.core.schedule.mycelial;

import dev.hypha.core.schedule.FilterPlugin;
import dev.hypha.core.schedule.ScorePlugin;
import dev.hypha.model.InvalidSpecException;

/**
 * One element of a scheduling profile as {@link MycelialWeights#plugins} lists it: a filter, or a
 * score plugin with its weight. The pipeline builds its profile from a list of these.
 */
public sealed interface ProfilePlugin permits ProfilePlugin.Filter, ProfilePlugin.Weighted {
    String name();

    /** A filter plugin: may drop nodes, with a reason. */
    record Filter(FilterPlugin plugin) implements ProfilePlugin {
        public Filter {
            if (plugin == null) throw new InvalidSpecException("a profile filter needs its plugin");
        }

        public String name() {
            return plugin.name();
        }
    }

    /** A score plugin and its weight (>= 0) in the profile's weighted sum. */
    record Weighted(ScorePlugin plugin, double weight) implements ProfilePlugin {
        public Weighted {
            if (plugin == null) throw new InvalidSpecException("a profile score needs its plugin");
            if (!(weight >= 0 && Double.isFinite(weight))) {
                throw new InvalidSpecException("the weight of " + plugin.name() + " must be zero or positive, got " + weight);
            }
        }

        public String name() {
            return plugin.name();
        }
    }
}
