package dev.hypha.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.Json;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Turns request bodies into records, and every way a body can be wrong into a 400 whose detail
 * names the field and the problem (not a Jackson stack trace).
 */
public final class Bodies {
    private Bodies() {}

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) throw ApiException.badRequest("request body is empty: expected a JSON object");
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) throw ApiException.badRequest("request body is null: expected a JSON object");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'" + at(e)
                    + "; known fields: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidSpecException ise) throw ApiException.badRequest(ise.getMessage());
            throw ApiException.badRequest("invalid value" + at(e) + ": " + rootMessage(e));
        } catch (InvalidFormatException e) {
            throw ApiException.badRequest("wrong type" + at(e) + ": got " + describe(e.getValue()) + ", expected "
                    + simpleType(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest("wrong type" + at(e) + ": expected " + simpleType(e.getTargetType()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidSpecException ise) throw ApiException.badRequest(ise.getMessage());
            throw ApiException.badRequest("invalid request" + at(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static String at(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "" : " in field '" + path + "'";
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String simpleType(Class<?> c) {
        if (c == null) return "a value";
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) return "an integer";
        if (c == double.class || c == Double.class) return "a number";
        if (c == boolean.class || c == Boolean.class) return "true or false";
        if (c == String.class) return "a string";
        if (java.util.List.class.isAssignableFrom(c)) return "an array";
        if (java.util.Map.class.isAssignableFrom(c) || c.isRecord()) return "an object";
        if (c.isEnum()) return "one of " + java.util.Arrays.toString(c.getEnumConstants());
        return c.getSimpleName();
    }
}
