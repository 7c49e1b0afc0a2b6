/**
 * The launch plan: what the C helper does to run a container, derived in Java from a validated
 * {@link io.jctr.plugins.runtime.linux.spec.RuntimeSpec}.
 *
 * <p>{@link io.jctr.plugins.runtime.linux.plan.LaunchPlanner} turns a spec, its bundle and
 * {@link io.jctr.plugins.runtime.linux.plan.PlanOptions} into a
 * {@link io.jctr.plugins.runtime.linux.plan.LaunchPlan}: an ordered list of literal
 * {@link io.jctr.plugins.runtime.linux.plan.Step}s — namespace flags and id maps, each mount
 * system call with its flags and data, device nodes, the root switch, sysctls, limits,
 * capability masks, the user, the exec. Mount destinations are resolved inside the rootfs with
 * {@link io.jctr.plugins.runtime.linux.plan.SecureJoin}; mount options are split with runc's
 * table in {@link io.jctr.plugins.runtime.linux.plan.MountOptions}.
 * {@link io.jctr.plugins.runtime.linux.plan.PlanEncoder} writes a plan in a binary format a C
 * program reads without a parser; {@link io.jctr.plugins.runtime.linux.plan.PlanDecoder} reads
 * it back.
 */
package io.jctr.plugins.runtime.linux.plan;
