package dev.hypha.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one JSON (and YAML) configuration of Hypha: snake_case fields, ISO-8601 instants, unknown
 * fields rejected (a typo in a manifest must not be silently ignored). The API, the store and the
 * CLI all use these mappers, so a record has one wire shape everywhere.
 */
public final class Json {
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML = configure(new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .stringQuotingChecker(new QuoteWhatReadsAsNonString())
            .build()));

    /**
     * Quotes a string value whenever a YAML reader would take it, unquoted, for something else:
     * {@code "8080"}, {@code "1.50"}, {@code "0x1F"}, {@code ".inf"}, {@code "12:30"} (a YAML 1.1
     * integer) as well as the booleans and nulls the default check already knows. Unquoted, an
     * environment variable {@code PORT: 8080} printed by {@code -o yaml} came back as a number,
     * which a manifest's string field refuses. The test is the parser's own resolver, so what is
     * written is exactly what it reads back. Timestamps stay unquoted, as before: the reader
     * hands them over as the strings they are.
     */
    private static final class QuoteWhatReadsAsNonString extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final Resolver RESOLVER = new Resolver();

        @Override
        public boolean needToQuoteValue(String value) {
            if (super.needToQuoteValue(value)) return true;
            Tag readAs = RESOLVER.resolve(NodeId.scalar, value, true);
            return !Tag.STR.equals(readAs) && !Tag.TIMESTAMP.equals(readAs);
        }
    }

    private Json() {}

    private static ObjectMapper configure(ObjectMapper m) {
        // Registered after the time module, so its instant (de)serializers take precedence.
        SimpleModule instants = new SimpleModule("hypha-instants")
                .addSerializer(Instant.class, new InstantWriter())
                .addDeserializer(Instant.class, new InstantReader());
        return m.registerModule(new JavaTimeModule()).registerModule(instants)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    /** Reads manifests; writes YAML that reads back as it was written (see {@link QuoteWhatReadsAsNonString}). */
    public static ObjectMapper yaml() {
        return YAML;
    }

    public static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes instants as {@code ISO_INSTANT} does, through {@link IsoInstant}. */
    private static final class InstantWriter extends StdSerializer<Instant> {
        InstantWriter() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(IsoInstant.format(value));
        }
    }

    /** Reads the plain ISO form through {@link IsoInstant}, and leaves everything else to the time module's reader. */
    private static final class InstantReader extends StdDeserializer<Instant> {
        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant plain = IsoInstant.parse(p.getText());
                if (plain != null) return plain;
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    public static <T> T read(byte[] data, Class<T> type) {
        try {
            return JSON.readValue(data, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
