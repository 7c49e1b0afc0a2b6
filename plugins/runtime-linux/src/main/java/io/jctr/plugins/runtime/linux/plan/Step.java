package io.jctr.plugins.runtime.linux.plan;

/**
 * One step of a {@link LaunchPlan}: a literal instruction for the helper, carrying every argument
 * of the system calls it stands for. Steps are immutable records; their order in the plan is the
 * order of execution. Each step knows its {@link Opcode} and writes its own payload in the format
 * {@link PlanEncoder} documents.
 */
public sealed interface Step permits NamespaceStep, MountStep, FilesystemStep, ProcessStep,
        IdentityStep {

    /** The record type in the encoded plan. */
    Opcode opcode();

    /** Writes the payload (without opcode and length). */
    void writeTo(PlanWriter out);
}
