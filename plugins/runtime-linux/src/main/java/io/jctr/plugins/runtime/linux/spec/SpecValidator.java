package io.jctr.plugins.runtime.linux.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@link RuntimeSpec} against the OCI Runtime Specification 1.1 and what this runtime
 * (like runc) additionally requires on Linux. Each problem names the JSON path of the field;
 * problems come in a stable order, section by section (version, process, root, mounts, hooks,
 * annotations, hostname, linux). Warnings report accepted but deprecated usage.
 *
 * <p>The checks need no file system: whether paths exist inside the rootfs is the
 * {@code LaunchPlanner}'s concern. Stateless and thread-safe.
 */
public final class SpecValidator {

    // semver.org's regular expression for SemVer 2.0.0.
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
            + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    private SpecValidator() {
    }

    /** Every problem with {@code spec}; empty when it is valid. */
    public static List<SpecProblem> validate(RuntimeSpec spec) {
        return run(spec).errors();
    }

    /** Deprecated but accepted usage in {@code spec}, to be logged. */
    public static List<SpecProblem> warnings(RuntimeSpec spec) {
        return run(spec).warnings();
    }

    /**
     * Throws unless {@code spec} is valid.
     *
     * @throws SpecException {@code INVALID_ARGUMENT} with every problem found
     */
    public static void check(RuntimeSpec spec) {
        List<SpecProblem> problems = validate(spec);
        if (!problems.isEmpty()) {
            throw new SpecException(problems);
        }
    }

    private static Problems run(RuntimeSpec spec) {
        Problems p = new Problems();
        NamespaceSet ns = NamespaceSet.of(spec);
        checkVersion(spec.ociVersion(), p);
        if (spec.process() != null) {
            ProcessCheck.check(spec.process(), p);
        }
        checkRoot(spec.root(), p);
        MountCheck.check(spec, ns, p);
        HookCheck.check(spec.hooks(), p);
        for (String key : spec.annotations().keySet()) {
            if (key.isEmpty()) {
                p.add(JsonPath.key("annotations", key), "key must not be empty");
            }
        }
        checkUts("hostname", spec.hostname(), ns, p);
        checkUts("domainname", spec.domainname(), ns, p);
        if (spec.linux() != null) {
            NamespaceCheck.check(spec, ns, p);
            SysctlCheck.check(spec.linux().sysctl(), ns, p);
            LinuxCheck.check(spec.linux(), ns, p);
            if (spec.linux().seccomp() != null) {
                SeccompCheck.check(spec.linux().seccomp(), p);
            }
        }
        return p;
    }

    private static void checkVersion(String version, Problems p) {
        if (version.isEmpty()) {
            p.add("ociVersion", "must be set");
            return;
        }
        Matcher m = SEMVER.matcher(version);
        if (!m.matches()) {
            p.add("ociVersion", JsonPath.quote(version) + " is not a semantic version");
            return;
        }
        if (!m.group(1).equals("1") || !(m.group(2).equals("0") || m.group(2).equals("1"))) {
            p.add("ociVersion", "unsupported version " + JsonPath.quote(version)
                    + " (this runtime supports 1.0.x and 1.1.x)");
        }
    }

    private static void checkRoot(Root root, Problems p) {
        if (root == null) {
            p.add("root", "must be set");
        } else {
            p.present("root.path", root.path());
        }
    }

    private static void checkUts(String field, String value, NamespaceSet ns, Problems p) {
        if (value.isEmpty() || !p.noNul(field, value)) {
            return;
        }
        if (!ns.contains(NamespaceType.UTS)) {
            p.add(field, "cannot be set without a uts namespace");
        }
        // __NEW_UTS_LEN: sethostname(2) and setdomainname(2) fail with EINVAL beyond it.
        if (value.getBytes(StandardCharsets.UTF_8).length > 64) {
            p.add(field, JsonPath.quote(value) + " is longer than 64 bytes");
        }
    }
}
