package io.jctr.plugins.runtime.linux.plan;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything the helper does to turn a bundle into a running container, as an ordered list of
 * literal {@link Step}s: namespaces, then the filesystem, then the process, ending with
 * {@link IdentityStep.Exec}. The order is the plan's contract — {@link LaunchPlanner} documents
 * the kernel rule behind each ordering decision — and the helper executes the steps in it,
 * stopping at the first failure. {@link PlanEncoder} turns a plan into bytes the helper reads.
 *
 * @param steps    the steps, in execution order
 * @param warnings things of the spec the plan leaves out (capabilities the kernel lacks, ...),
 *                 for the runtime to log; not encoded
 */
public record LaunchPlan(List<Step> steps, List<String> warnings) {

    /** Copies the lists. */
    public LaunchPlan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** The steps of one record type, in order. */
    public <T extends Step> List<T> stepsOf(Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    /** The index of the first step equal to {@code step}, or -1. */
    public int indexOf(Step step) {
        return steps.indexOf(step);
    }
}
