package io.jctr.plugins.runtime.linux.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A bundle with an empty rootfs in a temporary directory, and helpers to look into plans. */
abstract class PlannerTestBase {

    @TempDir
    Path tmp;

    Path bundle;
    Path rootfs;

    @BeforeEach
    void bundle() throws IOException {
        bundle = tmp.toRealPath().resolve("bundle");
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    }

    @AfterEach
    void removeLinks() throws IOException {
        SymbolicLinks.deleteAll(tmp);
    }

    LaunchPlan plan(ObjectNode spec) throws IOException {
        return plan(spec, PlanOptions.defaults());
    }

    LaunchPlan plan(ObjectNode spec, PlanOptions opts) throws IOException {
        return LaunchPlanner.plan(SpecParser.parse(TestSpecs.bytes(spec)), bundle, opts);
    }

    static ObjectNode mount(ObjectNode spec, String destination, String type, String source,
            String... options) {
        ArrayNode mounts = spec.has("mounts") ? (ArrayNode) spec.get("mounts") : spec.putArray("mounts");
        ObjectNode m = mounts.addObject().put("destination", destination).put("source", source);
        if (type != null) {
            m.put("type", type);
        }
        ArrayNode o = m.putArray("options");
        for (String option : options) {
            o.add(option);
        }
        return m;
    }

    static ObjectNode linux(ObjectNode spec) {
        return (ObjectNode) spec.get("linux");
    }

    static ObjectNode process(ObjectNode spec) {
        return (ObjectNode) spec.get("process");
    }

    static void namespace(ObjectNode spec, String type) {
        ((ArrayNode) linux(spec).get("namespaces")).addObject().put("type", type);
    }

    static int firstIndex(LaunchPlan plan, Class<? extends Step> type) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (type.isInstance(plan.steps().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + plan.steps());
    }

    static int lastIndex(LaunchPlan plan, Class<? extends Step> type) {
        for (int i = plan.steps().size() - 1; i >= 0; i--) {
            if (type.isInstance(plan.steps().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + plan.steps());
    }

    static int indexOfMountAt(LaunchPlan plan, String target) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i) instanceof MountStep.Mount m && m.target().equals(target)) {
                return i;
            }
        }
        throw new AssertionError("no mount at " + target + " in " + plan.steps());
    }
}
