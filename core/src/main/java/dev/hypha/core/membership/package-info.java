/**
 * Hypha's gossip membership: SWIM with Lifeguard, as a pure, deterministic state machine.
 *
 * <p>{@link dev.hypha.core.membership.SwimNode} takes packets, state exchanges and ticks with the time
 * passed in, and returns a {@link dev.hypha.core.membership.Ready} of packets to send, exchanges to
 * carry, member changes and deliveries. Drivers do the I/O: {@code dev.hypha.gossip.SwimMembership} on
 * UDP/TCP with AES-GCM, the testkit's simulator on an in-memory network with a virtual clock.
 * {@link dev.hypha.core.membership.SwimMath} holds the formulas, {@link dev.hypha.core.membership.SwimCodec}
 * the wire format, {@link dev.hypha.core.membership.SwimConfig} the tuning.
 *
 * <p>A member's state as another member sees it:
 * <pre>
 *             probe and indirect probes fail              suspicion timeout
 *   ALIVE ─────────────────────────────────────► SUSPECT ───────────────────► DEAD
 *     ▲  ◄───────────────────────────────────────  │                           │
 *     │       alive with a higher incarnation      │ dead                      │
 *     │       (the suspect refuted)                ▼                           │
 *     │                                           DEAD                         │
 *     └────────────── alive with a higher incarnation (it refuted, or came back)┘
 *
 *   ALIVE or SUSPECT ── "dead, from itself" ──► LEFT   (graceful leave)
 *   DEAD, LEFT ── after gossip-to-the-dead time, at the end of a probe round ──► forgotten
 * </pre>
 * Incarnation numbers order the claims about one member: only the member itself raises its own
 * incarnation (to refute, or to publish new metadata), and a claim about an older incarnation loses.
 */
package dev.hypha.core.membership;
