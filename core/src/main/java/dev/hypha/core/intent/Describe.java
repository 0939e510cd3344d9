package dev.hypha.core.intent;

import dev.hypha.model.Resources;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers and quantities written the way INTERFACES.md writes them, for messages people read. Display only. */
final class Describe {
    private Describe() {}

    /** A replica's request as "500m cpu and 512Mi" (", 1Gi disk" when it asks for disk). */
    static String resources(Resources r) {
        String s = r.cpuMillicores() + "m cpu and " + mebibytes(r.memoryMb());
        return r.diskMb() > 0 ? s + " and " + mebibytes(r.diskMb()) + " disk" : s;
    }

    /** What a node has free, in the dimensions {@code request} asks for (disk only when it asks for disk). */
    static String free(Resources free, Resources request) {
        String s = free.cpuMillicores() + "m cpu and " + mebibytes(free.memoryMb());
        return request.diskMb() > 0 ? s + " and " + mebibytes(free.diskMb()) + " disk" : s;
    }

    static String mebibytes(long mb) {
        return mb > 0 && mb % 1024 == 0 ? (mb / 1024) + "Gi" : mb + "Mi";
    }

    /**
     * Money as people write it: two decimals from 1 up ("1.00", "12.35"); below 1, three significant
     * digits with at least two decimals ("0.05", "0.015", "0.0075"), so a small price never shows as 0.00.
     */
    static String money(double v) {
        BigDecimal d = BigDecimal.valueOf(v);
        if (d.abs().compareTo(BigDecimal.ONE) >= 0 || d.signum() == 0) {
            return d.setScale(2, RoundingMode.HALF_UP).toPlainString();
        }
        d = d.round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros();
        return (d.scale() < 2 ? d.setScale(2, RoundingMode.UNNECESSARY) : d).toPlainString();
    }

    /** A measure with at most three significant digits and no trailing zeros ("250", "4.22", "0.0113"). */
    static String number(double v) {
        if (v == 0) return "0";
        BigDecimal d = BigDecimal.valueOf(v);
        if (d.abs().compareTo(BigDecimal.valueOf(1000)) >= 0) d = d.setScale(0, RoundingMode.HALF_UP);
        else d = d.round(new MathContext(3, RoundingMode.HALF_UP));
        return d.stripTrailingZeros().toPlainString();
    }

    static String replicas(long n) {
        return n == 1 ? "1 replica" : n + " replicas";
    }

    static String nodes(long n) {
        return n == 1 ? "1 alive node" : n + " alive nodes";
    }
}
