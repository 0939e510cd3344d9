package dev.hypha.model.intent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.RestartPolicy;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an intent asks for, in one word; the planner's rules for replica count, spreading and
 * restarts follow from it.
 */
public enum IntentGoal {
    /** A long-running service that survives the loss of a node: replicas on distinct nodes, spread over regions. */
    DEPLOY_HIGHLY_AVAILABLE_SERVICE,
    /** Work that runs to completion: one replica unless min_replicas says more, restarted only on failure. */
    DEPLOY_BATCH_JOB,
    /** A long-running service at the lowest price: the fewest replicas allowed, on the cheapest nodes. */
    DEPLOY_COST_OPTIMIZED_SERVICE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static IntentGoal parse(String s) {
        for (IntentGoal g : values()) {
            if (g.wire().equals(s)) return g;
        }
        throw new InvalidSpecException("intent '" + s + "' is not one of " + Arrays.stream(values())
                .map(IntentGoal::wire).collect(Collectors.joining(", ")));
    }

    /** Services are kept running; a batch job that exited 0 is done and must not start again. */
    public RestartPolicy restartPolicy() {
        return this == DEPLOY_BATCH_JOB ? RestartPolicy.ON_FAILURE : RestartPolicy.ALWAYS;
    }

    /** Whether replicas must each get their own node (and, where possible, their own region). */
    public boolean spreadsReplicas() {
        return this == DEPLOY_HIGHLY_AVAILABLE_SERVICE;
    }
}
