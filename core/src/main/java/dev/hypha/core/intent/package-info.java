/**
 * The intent planner and evaluator: pure functions that turn an intent into a plan (a replica
 * count, the nodes, the cost and carbon) and a workload spec, and that judge later whether the
 * cluster still keeps the intent true.
 *
 * <p>Nothing here reads a clock, a file or the network; the same inputs always give the same
 * plan, ties broken by node id. The server's intent controller calls
 * {@link dev.hypha.core.intent.IntentPlanner#plan} when an intent arrives and
 * {@link dev.hypha.core.intent.IntentEvaluator#evaluate} on every pass afterwards.
 *
 * <pre>
 *   IntentSpec ──plan──▶ PlanResult ─ Feasible(plan, workload) ─▶ controller creates the workload
 *        ▲                         └ Infeasible(constraint, detail, best possible) ─▶ 422
 *        │
 *   Intent + snapshot + instances ──evaluate──▶ status (+ why) and re-plan reasons
 * </pre>
 */
package dev.hypha.core.intent;
