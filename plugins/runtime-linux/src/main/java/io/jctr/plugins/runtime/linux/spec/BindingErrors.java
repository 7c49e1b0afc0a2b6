package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** Turns Jackson's exceptions into {@link SpecException}s that name the JSON path. */
final class BindingErrors {

    private BindingErrors() {
    }

    /** A syntax error, located by line and column. */
    static SpecException syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new SpecException("config.json", "malformed json" + where + ": " + reason(e));
    }

    /** A binding error, located by JSON path; {@code tree} supplies the offending value. */
    static SpecException toSpecException(JsonMappingException e, JsonNode tree) {
        StringBuilder path = new StringBuilder();
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.replace(0, path.length(), JsonPath.key(path.toString(), ref.getFieldName()));
                pointer.append('/').append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                path.replace(0, path.length(), JsonPath.index(path.toString(), ref.getIndex()));
                pointer.append('/').append(ref.getIndex());
            }
        }
        String where = path.length() == 0 ? "config.json" : path.toString();
        JsonNode actual = tree.at(JsonPointer.compile(pointer.toString()));
        return new SpecException(where, message(e, actual));
    }

    /** {@code a string}, {@code an array}, ... for a JSON value. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "null";
        } else if (node.isTextual()) {
            return "a string";
        } else if (node.isIntegralNumber()) {
            return "an integer";
        } else if (node.isNumber()) {
            return "a number";
        } else if (node.isBoolean()) {
            return "a boolean";
        } else if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String message(JsonMappingException e, JsonNode actual) {
        if (e instanceof InvalidNullException) {
            return "null is not allowed here";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + expected(mismatch.getTargetType()) + ", got " + describe(actual);
        }
        if (e.getCause() instanceof InputCoercionException coercion) {
            return actual + " is out of range for " + coercion.getTargetType().getSimpleName();
        }
        return reason(e);
    }

    private static String expected(Class<?> type) {
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        } else if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        } else if (type == float.class || type == double.class
                || type == Float.class || type == Double.class) {
            return "a number";
        } else if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "an integer";
        } else if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        } else if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    /** Jackson's own text, first line, without the source excerpt, starting lower-case. */
    private static String reason(JsonProcessingException e) {
        String text = e.getOriginalMessage();
        if (text == null || text.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            text = text.substring(0, nl);
        }
        if (text.startsWith("Trailing token")) {
            return "data after the end of the document";
        }
        // Jackson's pointer back at the opening token repeats what the line/column say.
        int marker = text.indexOf(" (start marker at ");
        if (marker >= 0) {
            text = text.substring(0, marker);
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
