package dev.hypha.model;

/** A node's reputation scores, each in 0..1 (DESIGN.md, "Reputation"). */
public record Reputation(double reliability, double resourceEfficiency, double ecologicalBalance, double contributionRatio) {
    /** What a node with no history gets: neutral, neither trusted nor distrusted. */
    public static final Reputation NEUTRAL = new Reputation(0.5, 0.5, 0.5, 0.5);

    public Reputation {
        check("reliability", reliability);
        check("resource_efficiency", resourceEfficiency);
        check("ecological_balance", ecologicalBalance);
        check("contribution_ratio", contributionRatio);
    }

    private static void check(String f, double v) {
        if (!(v >= 0 && v <= 1)) throw new InvalidSpecException(f + " must be in 0..1, got " + v);
    }
}
