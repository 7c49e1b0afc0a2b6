package io.jctr.plugins.runtime.linux.plan;

import java.util.ArrayList;
import java.util.List;

/** Accumulates the steps and warnings of one plan. Not thread-safe. */
final class PlanBuilder {

    private final List<Step> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    PlanBuilder add(Step step) {
        steps.add(step);
        return this;
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    LaunchPlan build() {
        return new LaunchPlan(steps, warnings);
    }
}
