package dev.hypha.cli.parse;

import dev.hypha.model.PowerProfile;
import dev.hypha.model.Resources;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli type converters over the parsers of this package: a value that does not parse becomes
 * a {@link TypeConversionException}, which picocli reports as a usage error (exit code 2).
 */
public final class Converters {
    private Converters() {}

    private static <T> T convert(java.util.function.Function<String, T> parser, String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** {@code 250m}, {@code 0.5} or {@code 2} to millicores. */
    public static final class Cpu implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Converters.convert(Quantities::cpuMillicores, value);
        }
    }

    /** {@code 64Mi}, {@code 1Gi}, {@code 512M} or a plain number of MiB to MiB. */
    public static final class Memory implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Converters.convert(Quantities::memoryMib, value);
        }
    }

    /** Disk sizes, with the units of {@link Memory}. */
    public static final class Disk implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Converters.convert(Quantities::diskMib, value);
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Converters.convert(Durations::parse, value);
        }
    }

    /** {@code cpu=4000m,memory=8Gi,disk=20Gi}. */
    public static final class Capacity implements ITypeConverter<Resources> {
        @Override
        public Resources convert(String value) {
            return Converters.convert(KeyValues::capacity, value);
        }
    }

    /** {@code idle=40,max=180}. */
    public static final class Power implements ITypeConverter<PowerProfile> {
        @Override
        public PowerProfile convert(String value) {
            return Converters.convert(KeyValues::power, value);
        }
    }
}
