package io.jctr.spi.runtime;

/**
 * One process inside a task's container (containerd's {@code runtime.ProcessInfo} with runc's
 * {@code ProcessDetails}).
 *
 * @param pid    the pid in the host's pid namespace
 * @param execId the exec id when this is an exec process's main process, otherwise {@code ""}
 */
public record ProcessInfo(int pid, String execId) {

    /** Normalises a {@code null} exec id to {@code ""}. */
    public ProcessInfo {
        execId = execId == null ? "" : execId;
    }
}
