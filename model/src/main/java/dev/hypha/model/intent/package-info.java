/**
 * Intents: goals stated by a person ("a highly available service, at most 10 per hour, in
 * us-west if possible, on renewable energy") instead of imperative workload specs. The records
 * here are what users submit ({@link dev.hypha.model.intent.IntentSpec}), what the planner
 * answers ({@link dev.hypha.model.intent.IntentPlan}) and what the server stores
 * ({@link dev.hypha.model.intent.Intent}). Every record validates itself in its canonical
 * constructor; the JSON shapes are those of INTERFACES.md ("Intent", "IntentResponse").
 */
package dev.hypha.model.intent;
