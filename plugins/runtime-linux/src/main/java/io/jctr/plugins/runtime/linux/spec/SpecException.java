package io.jctr.plugins.runtime.linux.spec;

import io.jctr.spi.JctrException;
import java.util.List;

/**
 * A config.json that cannot be run: malformed JSON, a field of the wrong type, or a value the
 * specification or this runtime rejects. The message is the first problem
 * ({@code linux.namespaces[2].type: unknown namespace type "foo": invalid argument});
 * {@link #problems()} lists all of them, section by section.
 */
public class SpecException extends JctrException {

    private final List<SpecProblem> problems;

    /** An {@code INVALID_ARGUMENT} error for {@code problems}, which must not be empty. */
    public SpecException(List<SpecProblem> problems) {
        this(Kind.INVALID_ARGUMENT, problems);
    }

    /** An error of {@code kind} for {@code problems}, which must not be empty. */
    public SpecException(Kind kind, List<SpecProblem> problems) {
        super(kind, problems.get(0).toString());
        this.problems = List.copyOf(problems);
    }

    /** An {@code INVALID_ARGUMENT} error for one problem. */
    public SpecException(String path, String message) {
        this(List.of(new SpecProblem(path, message)));
    }

    /** An error of {@code kind} for one problem. */
    public SpecException(Kind kind, String path, String message) {
        this(kind, List.of(new SpecProblem(path, message)));
    }

    /** Every problem found, at least one. */
    public List<SpecProblem> problems() {
        return problems;
    }
}
