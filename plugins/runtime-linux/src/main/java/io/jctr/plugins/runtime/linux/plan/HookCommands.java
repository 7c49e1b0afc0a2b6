package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.spec.Hooks.Hook;
import java.util.ArrayList;
import java.util.List;

/** Converts spec hooks to plan commands. */
final class HookCommands {

    private HookCommands() {
    }

    static List<ProcessStep.HookCommand> commands(List<Hook> hooks) {
        List<ProcessStep.HookCommand> out = new ArrayList<>();
        for (Hook h : hooks) {
            out.add(new ProcessStep.HookCommand(h.path(), h.args(), h.env(),
                    h.timeout() == null ? 0 : h.timeout()));
        }
        return out;
    }
}
