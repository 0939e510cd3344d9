package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import dev.hypha.model.WorkloadSpec;
import java.util.Locale;

/**
 * What a person asks for in {@code POST /api/v1/intents}: a goal, its constraints and the
 * application to run.
 *
 * <p>Like a workload spec, a stored intent spec is complete: the constructor fills the replica
 * bounds for the goal ({@link IntentConstraints#resolvedFor}), the member ("default") and the name.
 * A missing name is derived from the image's base name ({@code registry:5000/org/My_App:1.2} gives
 * {@code my-app}); two intents for the same image then derive the same name, so a server that finds
 * the name taken gives one of them another with {@link #withName}.
 *
 * @param name   the name of the workload the intent owns
 * @param dryRun plan only: create nothing
 */
public record IntentSpec(
        IntentGoal intent,
        String name,
        IntentConstraints constraints,
        IntentApplication application,
        String member,
        boolean dryRun) {

    public IntentSpec {
        if (intent == null) {
            throw new InvalidSpecException("intent is required: one of deploy_highly_available_service,"
                    + " deploy_batch_job, deploy_cost_optimized_service");
        }
        if (application == null) throw new InvalidSpecException("application is required, with at least an image");
        constraints = (constraints == null ? IntentConstraints.NONE : constraints).resolvedFor(intent);
        name = Validation.name("name", name == null ? deriveName(application.image()) : name);
        member = member == null ? WorkloadSpec.DEFAULT_MEMBER : Validation.name("member", member);
    }

    /** The JSON form, where {@code dry_run} may be left out (it then means false). */
    @JsonCreator
    static IntentSpec fromJson(@JsonProperty("intent") IntentGoal intent,
                               @JsonProperty("name") String name,
                               @JsonProperty("constraints") IntentConstraints constraints,
                               @JsonProperty("application") IntentApplication application,
                               @JsonProperty("member") String member,
                               @JsonProperty("dry_run") Boolean dryRun) {
        return new IntentSpec(intent, name, constraints, application, member, Boolean.TRUE.equals(dryRun));
    }

    public IntentSpec withName(String newName) {
        return new IntentSpec(intent, newName, constraints, application, member, dryRun);
    }

    /**
     * A valid workload name from an image reference: its last path segment without tag or digest,
     * lowercased, other characters turned into '-', prefixed with "app-" when it does not start
     * with a letter.
     */
    public static String deriveName(String image) {
        String ref = image.trim();
        int at = ref.indexOf('@');
        if (at >= 0) ref = ref.substring(0, at);
        ref = ref.substring(ref.lastIndexOf('/') + 1);
        int colon = ref.indexOf(':');
        if (colon >= 0) ref = ref.substring(0, colon);
        String base = ref.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^-|-$", "");
        if (base.isEmpty()) return "app";
        if (!Character.isLetter(base.charAt(0))) base = "app-" + base;
        if (base.length() > 63) base = base.substring(0, 63).replaceAll("-+$", "");
        return base;
    }
}
