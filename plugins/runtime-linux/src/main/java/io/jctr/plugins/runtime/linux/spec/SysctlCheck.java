package io.jctr.plugins.runtime.linux.spec;

import java.util.Map;
import java.util.Set;

/**
 * Checks {@code linux.sysctl}. {@code /proc/sys} is only partly namespaced, so, as runc does,
 * only the sysctls of a namespace the container owns may be set: IPC ones ({@code kernel.msg*},
 * {@code kernel.sem}, {@code kernel.shm*}, {@code fs.mqueue.*}) with an IPC namespace,
 * {@code net.*} with a network namespace, {@code kernel.domainname} with a UTS namespace.
 * {@code kernel.hostname} is refused: the {@code hostname} field sets it.
 */
final class SysctlCheck {

    private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb",
            "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
            "kernel.shm_rmid_forced");

    private SysctlCheck() {
    }

    static void check(Map<String, String> sysctl, NamespaceSet ns, Problems p) {
        for (Map.Entry<String, String> e : sysctl.entrySet()) {
            String path = JsonPath.key("linux.sysctl", e.getKey());
            if (!p.present(path, e.getKey()) || !p.noNul(path, e.getValue())) {
                continue;
            }
            String name = SysctlName.dotted(e.getKey());
            if (!SysctlName.wellFormed(name)) {
                p.add(path, "invalid sysctl name " + JsonPath.quote(e.getKey()));
            } else if (IPC.contains(name) || name.startsWith("fs.mqueue.")) {
                if (!ns.contains(NamespaceType.IPC)) {
                    p.add(path, "cannot be set without an ipc namespace");
                }
            } else if (name.startsWith("net.")) {
                if (!ns.contains(NamespaceType.NETWORK)) {
                    p.add(path, "cannot be set without a network namespace");
                }
            } else if (name.equals("kernel.hostname")) {
                p.add(path, "conflicts with the hostname field");
            } else if (name.equals("kernel.domainname")) {
                if (!ns.contains(NamespaceType.UTS)) {
                    p.add(path, "cannot be set without a uts namespace");
                }
            } else {
                p.add(path, "is not namespaced; only ipc, net and kernel.domainname sysctls "
                        + "can be set");
            }
        }
    }
}
