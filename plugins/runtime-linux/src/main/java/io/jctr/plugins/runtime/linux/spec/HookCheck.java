package io.jctr.plugins.runtime.linux.spec;

import java.util.List;

/** Checks {@code hooks}. */
final class HookCheck {

    private HookCheck() {
    }

    static void check(Hooks hooks, Problems p) {
        if (hooks == null) {
            return;
        }
        if (!hooks.prestart().isEmpty()) {
            p.warn("hooks.prestart", "prestart hooks are deprecated; use createRuntime");
        }
        checkList("hooks.prestart", hooks.prestart(), p);
        checkList("hooks.createRuntime", hooks.createRuntime(), p);
        checkList("hooks.createContainer", hooks.createContainer(), p);
        checkList("hooks.startContainer", hooks.startContainer(), p);
        checkList("hooks.poststart", hooks.poststart(), p);
        checkList("hooks.poststop", hooks.poststop(), p);
    }

    private static void checkList(String base, List<Hooks.Hook> hooks, Problems p) {
        for (int i = 0; i < hooks.size(); i++) {
            String path = JsonPath.index(base, i);
            Hooks.Hook hook = hooks.get(i);
            p.absolute(path + ".path", hook.path());
            for (int j = 0; j < hook.args().size(); j++) {
                p.noNul(JsonPath.index(path + ".args", j), hook.args().get(j));
            }
            for (int j = 0; j < hook.env().size(); j++) {
                p.noNul(JsonPath.index(path + ".env", j), hook.env().get(j));
            }
            if (hook.timeout() != null && hook.timeout() <= 0) {
                p.add(path + ".timeout", "must be greater than zero, got " + hook.timeout());
            }
        }
    }
}
