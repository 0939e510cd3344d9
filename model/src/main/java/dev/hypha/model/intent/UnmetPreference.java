package dev.hypha.model.intent;

import dev.hypha.model.Validation;

/**
 * A soft wish of an intent that its plan does not fully honour, and why, so a person sees the
 * compromise instead of discovering it.
 *
 * @param preference the constraint's field name, e.g. "preferred_regions" or "max_replicas"
 * @param why        a sentence a person understands
 */
public record UnmetPreference(String preference, String why) {
    public UnmetPreference {
        Validation.nonBlank("preference", preference);
        Validation.nonBlank("why", why);
    }
}
