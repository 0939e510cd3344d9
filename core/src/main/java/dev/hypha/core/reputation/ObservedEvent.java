package dev.hypha.core.reputation;

import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Validation;
import java.time.Instant;

/**
 * An event together with who saw it, about whom, and when: one input to
 * {@link ReputationCrdt#recordAll}.
 *
 * @param observer the node or server that saw it (the local replica's own id)
 * @param subject  the node the event is about; never the observer itself
 */
public record ObservedEvent(String observer, String subject, Instant at, NodeEvent event) {
    public ObservedEvent {
        Validation.nonBlank("observer", observer);
        Validation.nonBlank("subject", subject);
        if (observer.equals(subject)) {
            throw new InvalidSpecException("observer " + observer + " cannot observe itself: a node's word about"
                    + " itself is not evidence");
        }
        if (at == null || event == null) throw new InvalidSpecException("an observed event needs its time and event");
    }
}
