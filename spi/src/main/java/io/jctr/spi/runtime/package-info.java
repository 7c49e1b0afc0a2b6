/**
 * The low-level runtime contract: creating, running, signalling and deleting the processes of
 * containers from OCI bundles — what the daemon drives in-process to serve containerd's
 * {@code containerd.services.tasks.v1.Tasks} API, and what runc-like runtimes implement
 * (containerd's {@code runtime.PlatformRuntime} and {@code runtime.Task} folded into one
 * interface).
 *
 * <p><b>Vocabulary.</b> A <em>task</em> is the running instance of one container, identified by a
 * {@link io.jctr.spi.runtime.TaskRef} (namespace plus container id); it has one <em>init</em>
 * process, named by the container id, and any number of <em>exec</em> processes, each named by an
 * exec id unique within the task. Wherever a method takes an {@code execId}, {@code null} or
 * {@code ""} means the init process.
 *
 * <p><b>JSON, not models.</b> OCI runtime-spec structures cross this boundary as JSON text (the
 * daemon stores specs as JSON): the whole spec as {@code config.json} in the bundle, an exec's
 * {@code process} object, a live update's {@code linux.resources} object. The SPI carries no spec
 * model.
 *
 * <p><b>Errors.</b> Conditions a client can act on are reported as
 * {@link io.jctr.spi.JctrException} with the kind each method documents; an unknown task or
 * process is always {@code NOT_FOUND}, and an operation the process's current
 * {@link io.jctr.spi.runtime.ProcessStatus} does not allow is always
 * {@code FAILED_PRECONDITION}. An {@link java.io.IOException} means the OS or the runtime's own
 * machinery failed in a way no kind describes and is reported to clients as {@code UNKNOWN}.
 */
package io.jctr.spi.runtime;
