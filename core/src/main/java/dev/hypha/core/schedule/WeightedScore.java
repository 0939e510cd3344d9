package dev.hypha.core.schedule;

import java.util.Objects;

/**
 * A score plugin with the weight its normalised score gets in a profile's weighted sum.
 *
 * <p>The weight lives in the profile, not the plugin, so the same plugin can matter more in one
 * profile than in another.
 */
public record WeightedScore(ScorePlugin plugin, double weight) {
    public WeightedScore {
        Objects.requireNonNull(plugin, "a weighted score needs a plugin");
        if (plugin.name() == null || plugin.name().isBlank()) {
            throw new IllegalArgumentException("score plugin " + plugin.getClass().getName() + " has no name");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of score plugin '" + plugin.name()
                    + "' must be a positive finite number, got " + weight);
        }
    }

    public String name() {
        return plugin.name();
    }
}
