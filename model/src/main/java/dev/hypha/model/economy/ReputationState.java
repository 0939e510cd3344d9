package dev.hypha.model.economy;

import dev.hypha.model.InvalidSpecException;
import java.util.List;

/**
 * The serialised form of the reputation CRDT: every observation row, for gossip and for the store.
 *
 * @param bucketMillis length of one time bucket; two states merge only when they agree on it
 * @param observations one row per (observer, subject, bucket), in any order
 */
public record ReputationState(long bucketMillis, List<Observation> observations) {
    public ReputationState {
        if (bucketMillis <= 0) {
            throw new InvalidSpecException("reputation bucket_millis must be positive, got " + bucketMillis);
        }
        observations = observations == null ? List.of() : List.copyOf(observations);
    }
}
