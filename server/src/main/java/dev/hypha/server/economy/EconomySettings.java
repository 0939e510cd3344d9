package dev.hypha.server.economy;

import dev.hypha.core.economy.CreditPolicy;
import dev.hypha.core.economy.PriceTable;
import dev.hypha.core.reputation.ReputationConfig;
import dev.hypha.core.schedule.mycelial.MycelialWeights;
import java.time.Duration;
import java.util.Objects;

/**
 * The economy's configuration in one immutable record: prices, credit limits, the mycelial
 * weights and the reputation knobs, plus how long a computed {@link EconomyView} is reused.
 *
 * <p>Why a record of its own rather than more server flags: every part already has a validated,
 * documented default in the core ({@link PriceTable#DEFAULT}, {@link CreditPolicy#DEFAULT},
 * {@link MycelialWeights#DEFAULT}, {@link ReputationConfig#defaults()}); a deployment or a test
 * changes only what it cares about with the {@code with…} methods.
 *
 * @param prices      what measured resource-seconds cost
 * @param creditPolicy soft and hard credit limits per member
 * @param weights     the mycelial profile's weights and reputation floor
 * @param reputation  buckets, decay and EigenTrust parameters
 * @param viewMaxAge  how long a computed view (ledger balances, reputation scores) serves the API and
 *                    the controllers before it is computed again; one second keeps answers fresh
 *                    while EigenTrust runs at most once a second, not once per request
 */
public record EconomySettings(PriceTable prices, CreditPolicy creditPolicy, MycelialWeights weights,
                              ReputationConfig reputation, Duration viewMaxAge) {
    public EconomySettings {
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(creditPolicy, "creditPolicy");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(reputation, "reputation");
        Objects.requireNonNull(viewMaxAge, "viewMaxAge");
        if (viewMaxAge.isNegative()) throw new IllegalArgumentException("the economy view's max age must not be negative, got " + viewMaxAge);
    }

    public static EconomySettings defaults() {
        return new EconomySettings(PriceTable.DEFAULT, CreditPolicy.DEFAULT, MycelialWeights.DEFAULT,
                ReputationConfig.defaults(), Duration.ofSeconds(1));
    }

    public EconomySettings withPrices(PriceTable p) {
        return new EconomySettings(p, creditPolicy, weights, reputation, viewMaxAge);
    }

    public EconomySettings withCreditPolicy(CreditPolicy c) {
        return new EconomySettings(prices, c, weights, reputation, viewMaxAge);
    }

    public EconomySettings withWeights(MycelialWeights w) {
        return new EconomySettings(prices, creditPolicy, w, reputation, viewMaxAge);
    }

    public EconomySettings withReputation(ReputationConfig r) {
        return new EconomySettings(prices, creditPolicy, weights, r, viewMaxAge);
    }

    public EconomySettings withViewMaxAge(Duration d) {
        return new EconomySettings(prices, creditPolicy, weights, reputation, d);
    }
}
