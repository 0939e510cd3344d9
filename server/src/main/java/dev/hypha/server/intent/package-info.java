/**
 * Intents on the server: the {@code /api/v1/intents} routes, the controller that keeps every intent
 * true, and the scheduler decorator that puts an intent's replicas on the nodes its plan chose.
 *
 * <pre>
 *   POST /api/v1/intents ──IntentAdmission──▶ IntentPlanner.plan ─┬─ Infeasible ─▶ 422, nothing stored
 *                                                                 ├─ dry_run ────▶ 200, nothing stored
 *                                                                 └─ one txn: Intent + its Workload ─▶ 201
 *
 *   leader's loop, every pass:
 *     WorkloadController ── Place ──▶ PlanSteeringScheduler ──▶ the plan's open slots, else the inner scheduler
 *     IntentController   ── IntentEvaluator.evaluate ──▶ re-plan? ──▶ CAS: intent (plan, status),
 *                                                                     workload (replicas, regions),
 *                                                                     stop replicas off the plan (one move at a time)
 * </pre>
 *
 * <p>The decisions are pure ({@link dev.hypha.core.intent.IntentPlanner},
 * {@link dev.hypha.core.intent.IntentEvaluator}, and here {@link dev.hypha.server.intent.PlanAlignment}
 * and {@link dev.hypha.server.intent.PlanSteering}); the classes around them read the store and
 * write the results with compare-and-swap.
 */
package dev.hypha.server.intent;
