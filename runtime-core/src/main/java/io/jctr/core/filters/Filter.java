package io.jctr.core.filters;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed containerd filter: the OR of several conjunctions, each a list of selectors
 * {@code field}, {@code field==value}, {@code field!=value} or {@code field~=regex}. A field path
 * is dot-separated; a quoted part keeps its dots ({@code labels."containerd.io/gc.root"}).
 * Parse with {@link FilterParser}.
 */
public final class Filter {

    /** Looks a field path up on the object being filtered; empty when the field does not exist. */
    public interface Adaptor {
        Optional<String> field(List<String> path);
    }

    enum Op { PRESENT, EQUAL, NOT_EQUAL, MATCHES }

    record Selector(List<String> path, Op op, String value, Pattern regex) {
        boolean test(Adaptor a) {
            Optional<String> v = a.field(path);
            return switch (op) {
                case PRESENT -> v.isPresent();
                case EQUAL -> v.isPresent() && v.get().equals(value);
                case NOT_EQUAL -> v.isEmpty() || !v.get().equals(value);
                case MATCHES -> v.isPresent() && regex.matcher(v.get()).find();
            };
        }
    }

    /** Matches everything. */
    public static final Filter ALL = new Filter(List.of());

    private final List<List<Selector>> alternatives;

    Filter(List<List<Selector>> alternatives) {
        this.alternatives = alternatives;
    }

    public boolean test(Adaptor adaptor) {
        if (alternatives.isEmpty()) {
            return true;
        }
        for (List<Selector> conjunction : alternatives) {
            if (conjunction.stream().allMatch(s -> s.test(adaptor))) {
                return true;
            }
        }
        return false;
    }

    /** Convenience: an adaptor over fixed fields plus a {@code labels.<key>} map. */
    public static Adaptor adaptor(Function<String, String> fields, java.util.Map<String, String> labels) {
        return path -> {
            if (path.isEmpty()) {
                return Optional.empty();
            }
            if (path.get(0).equals("labels")) {
                if (path.size() == 1) {
                    return labels.isEmpty() ? Optional.empty() : Optional.of("");
                }
                return Optional.ofNullable(labels.get(String.join(".", path.subList(1, path.size()))));
            }
            return path.size() == 1 ? Optional.ofNullable(fields.apply(path.get(0))) : Optional.empty();
        };
    }
}
