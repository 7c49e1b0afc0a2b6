package io.jctr.plugins.runtime.linux.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.seccomp.SeccompCompiler;
import io.jctr.plugins.runtime.linux.seccomp.SeccompFilter;
import io.jctr.plugins.runtime.linux.spec.Seccomp;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the seccomp filter goes in the plan, with and without no_new_privs. */
class SeccompPlanningTest extends PlannerTestBase {

    private static final String PROFILE = """
            {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
             "syscalls": [{"names": ["mkdir", "not_a_syscall"], "action": "SCMP_ACT_ERRNO"}]}""";

    private static ObjectNode spec(boolean noNewPrivileges) {
        ObjectNode s = TestSpecs.minimal();
        linux(s).set("seccomp", TestSpecs.tree(PROFILE));
        process(s).put("noNewPrivileges", noNewPrivileges).put("selinuxLabel", "system_u:system_r:container_t:s0");
        process(s).putObject("user").put("uid", 1000).put("gid", 1000);
        s.putObject("hooks").putArray("startContainer").addObject().put("path", "/bin/true");
        return s;
    }

    @Test
    void withoutNoNewPrivilegesTheFilterPrecedesTheLossOfCapSysAdmin() throws IOException {
        LaunchPlan plan = plan(spec(false));

        int seccomp = firstIndex(plan, IdentityStep.SetSeccomp.class);
        assertEquals(seccomp, lastIndex(plan, IdentityStep.SetSeccomp.class), "one filter");
        assertTrue(firstIndex(plan, ProcessStep.SyncWithRuntime.class) < seccomp, "the ready sync needs its socket");
        assertEquals(seccomp - 1, firstIndex(plan, ProcessStep.SetSelinuxLabel.class));
        assertEquals(seccomp + 1, firstIndex(plan, IdentityStep.Chdir.class), "where runc loads it");
        assertTrue(seccomp < firstIndex(plan, IdentityStep.DropBoundingSet.class));
        assertTrue(seccomp < firstIndex(plan, IdentityStep.SwitchUser.class));
        assertTrue(seccomp < firstIndex(plan, IdentityStep.SetCapabilities.class));
        assertEquals(List.of(), plan.stepsOf(IdentityStep.SetNoNewPrivileges.class));
    }

    @Test
    void withNoNewPrivilegesTheFilterComesLastBeforeTheWaitForStart() throws IOException {
        LaunchPlan plan = plan(spec(true));

        int seccomp = firstIndex(plan, IdentityStep.SetSeccomp.class);
        assertEquals(seccomp, lastIndex(plan, IdentityStep.SetSeccomp.class), "one filter");
        assertTrue(firstIndex(plan, IdentityStep.SetNoNewPrivileges.class) < seccomp);
        assertEquals(seccomp - 1, firstIndex(plan, IdentityStep.SetAmbient.class));
        assertTrue(firstIndex(plan, IdentityStep.SwitchUser.class) < seccomp);
        assertEquals(seccomp + 1, firstIndex(plan, IdentityStep.WaitForStart.class),
                "a filter the kernel refuses fails create, not start");
        assertTrue(seccomp < firstIndex(plan, ProcessStep.RunHooks.class));
        assertTrue(seccomp < firstIndex(plan, IdentityStep.Exec.class));
    }

    @Test
    void theStepCarriesTheCompiledFilterAndThePlanItsWarnings() throws IOException {
        LaunchPlan plan = plan(spec(true));
        SeccompFilter compiled = SeccompCompiler.compile(seccompOf(spec(true)));

        IdentityStep.SetSeccomp step = plan.stepsOf(IdentityStep.SetSeccomp.class).get(0);
        assertEquals(2, step.flags());
        assertArrayEquals(compiled.bpf(), step.filter());
        assertEquals(List.of("linux.seccomp.syscalls[0].names[1]: syscall \"not_a_syscall\" is unknown to "
                + "libseccomp " + SeccompCompiler.libraryVersion() + "; left out of the filter"), plan.warnings());
        assertEquals(plan.steps(), PlanDecoder.decode(PlanEncoder.encode(plan)).steps());
    }

    @Test
    void noFilterWithoutSeccomp() throws IOException {
        ObjectNode s = spec(false);
        linux(s).remove("seccomp");

        assertEquals(List.of(), plan(s).stepsOf(IdentityStep.SetSeccomp.class));
    }

    @Test
    void theSpecificationExampleProfileIsPlanned() throws IOException {
        ObjectNode s = (ObjectNode) TestSpecs.tree(new String(
                TestSpecs.resource("oci-1.1-full.json"), StandardCharsets.UTF_8));
        Files.createDirectories(rootfs.resolve("root"));

        LaunchPlan plan = plan(s);

        IdentityStep.SetSeccomp step = plan.stepsOf(IdentityStep.SetSeccomp.class).get(0);
        assertEquals(0, step.flags());
        assertEquals(firstIndex(plan, IdentityStep.WaitForStart.class) - 1, plan.indexOf(step),
                "the example sets noNewPrivileges");
    }

    @Test
    void aNotifyingFilterIsPrecededByItsListener() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        ObjectNode seccomp = linux(s).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW")
                .put("listenerPath", "/run/agent.sock").put("listenerMetadata", "bar");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_NOTIFY").putArray("names").add("mkdir");

        LaunchPlan plan = plan(s);

        int filter = firstIndex(plan, IdentityStep.SetSeccomp.class);
        assertEquals(SeccompFilter.NEW_LISTENER, plan.stepsOf(IdentityStep.SetSeccomp.class).get(0).flags());
        assertEquals(filter - 1, firstIndex(plan, IdentityStep.SeccompListener.class));
        assertEquals(new IdentityStep.SeccompListener("/run/agent.sock", "bar", TestSpecs.read(s).ociVersion()),
                plan.stepsOf(IdentityStep.SeccompListener.class).get(0));
    }

    @Test
    void aListenerWithoutNotifyRulesPlansNoListener() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        linux(s).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW").put("listenerPath", "/run/agent.sock");

        LaunchPlan plan = plan(s);

        assertEquals(0, plan.stepsOf(IdentityStep.SeccompListener.class).size());
        assertEquals(0, plan.stepsOf(IdentityStep.SetSeccomp.class).get(0).flags());
    }

    private static Seccomp seccompOf(ObjectNode s) {
        return TestSpecs.read(s).linux().seccomp();
    }
}
