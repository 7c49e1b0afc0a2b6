package io.jctr.plugins.runtime.linux.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems and warnings of one validation run, in the order they are found. */
final class Problems {

    private final List<SpecProblem> errors = new ArrayList<>();
    private final List<SpecProblem> warnings = new ArrayList<>();

    void add(String path, String message) {
        errors.add(new SpecProblem(path, message));
    }

    void warn(String path, String message) {
        warnings.add(new SpecProblem(path, message));
    }

    List<SpecProblem> errors() {
        return List.copyOf(errors);
    }

    List<SpecProblem> warnings() {
        return List.copyOf(warnings);
    }

    // Shared checks. Each returns whether the value passed, so callers can skip dependent checks.

    /** The value is handed to C as a NUL-terminated string, so it must not contain NUL. */
    boolean noNul(String path, String value) {
        if (value.indexOf('\0') >= 0) {
            add(path, JsonPath.quote(value) + " contains a NUL byte");
            return false;
        }
        return true;
    }

    boolean present(String path, String value) {
        if (value.isEmpty()) {
            add(path, "must be set");
            return false;
        }
        return noNul(path, value);
    }

    boolean absolute(String path, String value) {
        if (!present(path, value)) {
            return false;
        }
        if (!value.startsWith("/")) {
            add(path, JsonPath.quote(value) + " is not an absolute path");
            return false;
        }
        return true;
    }

    void inRange(String path, long value, long min, long max) {
        if (value < min || value > max) {
            add(path, value + " is out of range " + min + " to " + max);
        }
    }
}
