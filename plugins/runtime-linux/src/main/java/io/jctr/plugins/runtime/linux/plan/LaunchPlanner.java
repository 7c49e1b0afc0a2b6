package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.seccomp.SeccompCompiler;
import io.jctr.plugins.runtime.linux.seccomp.SeccompFilter;
import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.SpecValidator;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Derives the {@link LaunchPlan} of a bundle: the policy of running a container, decided in
 * Java, for a helper that only executes. The phases, in order, and why:
 *
 * <ol>
 *   <li><b>namespaces</b> — the oom score, joins, new namespaces, id maps, loopback
 *       ({@link NamespaceStep}); everything after happens inside them;
 *   <li><b>rootfs</b> — {@code /} made slave, the rootfs bound onto itself, then the spec's
 *       mounts in order, each destination resolved inside the rootfs with {@link SecureJoin};
 *   <li><b>devices</b> — after the mounts, because {@code /dev} is usually one of them (a
 *       tmpfs), and the nodes must be created in it, not under it;
 *   <li><b>root switch</b> — after the runtime's and the createContainer hooks, which may
 *       still need the old root; then the read-only remounts, the root's last;
 *   <li><b>kernel settings</b> — hostname, AppArmor, sysctls (through the container's
 *       {@code /proc}, hence after the switch);
 *   <li><b>restricted paths</b> — read-only and masked paths, after the sysctls, which write
 *       under {@code /proc/sys} before it is made read-only;
 *   <li><b>process</b> — limits, no_new_privs, the bounding set, the user, the capabilities,
 *       the seccomp filter (see {@link ProcessPlanner} for where and why), the wait for
 *       {@code start}, the exec.
 * </ol>
 *
 * <p>Planning reads the rootfs (to resolve destinations and keep modes) and the bind sources
 * (to know files from directories) but changes nothing. Stateless and thread-safe.
 */
public final class LaunchPlanner {

    private LaunchPlanner() {
    }

    /**
     * Plans {@code spec} for the bundle directory {@code bundle}.
     *
     * @throws SpecException {@code INVALID_ARGUMENT} when the spec is invalid or its rootfs
     *                       holds a symbolic-link loop on a destination; {@code NOT_FOUND} when
     *                       the rootfs or a bind source is missing; {@code NOT_IMPLEMENTED} for
     *                       id-mapped mounts, which this runtime does not support yet; as
     *                       {@link SeccompCompiler#compile} for a filter libseccomp rejects
     * @throws IOException   when the rootfs cannot be read
     */
    public static LaunchPlan plan(RuntimeSpec spec, Path bundle, PlanOptions opts) throws IOException {
        SpecValidator.check(spec);
        if (spec.process() == null) {
            throw new SpecException("process", "must be set to start a container");
        }
        // Compiled first: a profile libseccomp rejects fails the plan before anything else.
        SeccompFilter seccomp = spec.linux() == null || spec.linux().seccomp() == null ? null
                : SeccompCompiler.compile(spec.linux().seccomp());
        Path absoluteBundle = bundle.toAbsolutePath().normalize();
        Path rootfs = rootfs(spec, absoluteBundle);
        NamespaceSet ns = NamespaceSet.of(spec);
        PlanBuilder b = new PlanBuilder();

        NamespacePlanner.plan(spec, ns, opts, b);
        boolean procMounted = false;
        if (ns.contains(NamespaceType.MOUNT)) {
            RootfsPlanner.prepare(spec, rootfs.toString(), opts, b);
            RootfsView view = new RootfsView(rootfs);
            MountPlanner mounts = new MountPlanner(view, absoluteBundle, ns, opts, b);
            mounts.plan(spec.mounts());
            if (!mounts.devBound()) {
                DevicePlanner.plan(spec, ns, opts, view, b);
            }
            RootfsPlanner.enterRoot(spec, rootfs.toString(), opts, !mounts.devBound(),
                    mounts.deferredReadonly(), b);
            procMounted = mounts.procMounted();
        } else {
            RootfsPlanner.chrootOnly(spec, rootfs.toString(), b);
        }
        ProcessPlanner.kernelSettings(spec, procMounted, b);
        RootfsPlanner.restrictPaths(spec, b);
        if (seccomp != null) {
            seccomp.warnings().forEach(b::warn);
        }
        ProcessPlanner.identity(spec, ns, opts, seccomp, b, true);
        return b.build();
    }

    /** The absolute rootfs, which must be a directory and not be reached through a link. */
    private static Path rootfs(RuntimeSpec spec, Path bundle) throws IOException {
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        String quoted = JsonPath.quote(rootfs.toString());
        if (!Files.isDirectory(rootfs)) {
            throw new SpecException(JctrException.Kind.NOT_FOUND, "root.path",
                    quoted + " is not a directory");
        }
        Path real = rootfs.toRealPath();
        if (!real.equals(rootfs)) {
            // As runc: the rootfs is bound and pivoted to by path; a link there could be
            // swapped between check and use.
            throw new SpecException("root.path", quoted + " is reached through a symbolic link (it is "
                    + JsonPath.quote(real.toString()) + ")");
        }
        return rootfs;
    }
}
