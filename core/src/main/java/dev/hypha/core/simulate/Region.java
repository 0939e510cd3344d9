package dev.hypha.core.simulate;

/**
 * A simulated region: its grid's typical carbon intensity and how its prices compare.
 *
 * @param carbonIntensity grams of CO2 per kWh of a typical node there (each node varies by ±20%)
 * @param priceFactor     multiplies the node shape's price per hour
 * @param share           the fraction of nodes in this region
 */
public record Region(String name, double carbonIntensity, double priceFactor, double share) {}
