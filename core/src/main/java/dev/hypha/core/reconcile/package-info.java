/**
 * The reconciler: a pure function from desired state (workloads) and observed state (instances,
 * node membership) to a {@link dev.hypha.core.reconcile.ReconcilePlan} of actions.
 *
 * <p>Nothing here reads a clock, takes a lock or does I/O. The server's controller reads a snapshot
 * from the store, calls {@link dev.hypha.core.reconcile.Reconciler#plan}, and executes the actions
 * itself (asking the scheduler where each {@code Place} goes). Because the plan is idempotent, a
 * controller that crashes half way simply plans again.
 */
package dev.hypha.core.reconcile;
