package dev.hypha.core.intent;

/**
 * Why an intent's plan should be made again, one fact per record, so a controller can log it and a
 * test can match it.
 */
public sealed interface ReplanReason {

    /** A sentence a person understands. */
    String describe();

    /**
     * A node the plan uses, or one that hosts a replica, is gone.
     *
     * @param what "is dead", "has left the cluster" or "is no longer in the cluster"
     */
    record NodeLost(String nodeId, String what) implements ReplanReason {
        @Override
        public String describe() {
            return "node " + nodeId + " " + what;
        }
    }

    /** Prices changed: the planned nodes now cost more than the budget. */
    record OverBudget(double costPerHour, double maxCostPerHour) implements ReplanReason {
        @Override
        public String describe() {
            return "the plan now costs " + Describe.money(costPerHour) + " per hour, above max_cost_per_hour "
                    + Describe.money(maxCostPerHour);
        }
    }

    /** A planned node's grid carbon intensity rose above the intent's cap. */
    record CarbonCapExceeded(String nodeId, double carbonIntensity, double maxCarbonIntensity) implements ReplanReason {
        @Override
        public String describe() {
            return "node " + nodeId + " now runs at " + Describe.number(carbonIntensity)
                    + " g/kWh, above max_carbon_intensity " + Describe.number(maxCarbonIntensity);
        }
    }

    /**
     * A plan made now would be clearly better: more replicas for a highly available service, or
     * cheaper or greener nodes (by at least {@link IntentEvaluator#IMPROVEMENT_THRESHOLD}).
     */
    record BetterPlanAvailable(String why) implements ReplanReason {
        @Override
        public String describe() {
            return why;
        }
    }
}
