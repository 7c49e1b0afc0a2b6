/**
 * The cgroup manager of the native runtime: what runc's {@code libcontainer/cgroups} does, for
 * cgroup v1 (legacy and hybrid hosts) and v2 (unified).
 *
 * <p>{@link io.jctr.plugins.runtime.linux.cgroups.CgroupLayout} detects the hierarchies from
 * {@code /proc/self/mountinfo}; {@link io.jctr.plugins.runtime.linux.cgroups.CgroupManager}
 * resolves a spec's {@code cgroupsPath} into a
 * {@link io.jctr.plugins.runtime.linux.cgroups.ContainerCgroup}, which creates the directories,
 * applies {@code linux.resources} (v1 files, or their v2 translation), adds processes, lists
 * them, freezes, reports statistics shaped like {@code runc events --stats}, watches for OOM and
 * removes everything again. All of it is plain file I/O on cgroupfs except the v1 OOM eventfd
 * and v2's device program ({@code bpf(2)}), both through jnr-ffi.
 */
package io.jctr.plugins.runtime.linux.cgroups;
