package io.jctr.plugins.runtime.linux.plan;

import java.util.function.Function;

/**
 * The record types of the encoded plan: one per {@link Step} record, with the number the helper
 * switches on. Numbers are grouped by step type (0x01xx namespace, 0x02xx mount, 0x03xx
 * filesystem, 0x04xx process, 0x05xx identity) and never reused; a new step gets a new number,
 * and the format's version is bumped when an existing payload changes.
 */
public enum Opcode {
    SET_OOM_SCORE_ADJ(0x0101, NamespaceStep.SetOomScoreAdj::readFrom),
    JOIN_NAMESPACE(0x0102, NamespaceStep.JoinNamespace::readFrom),
    UNSHARE_TIME(0x0103, NamespaceStep.UnshareTime::readFrom),
    CREATE_NAMESPACES(0x0104, NamespaceStep.CreateNamespaces::readFrom),
    WRITE_ID_MAPS(0x0105, NamespaceStep.WriteIdMaps::readFrom),
    BRING_UP_LOOPBACK(0x0106, NamespaceStep.BringUpLoopback::readFrom),

    SET_PROPAGATION(0x0201, MountStep.SetPropagation::readFrom),
    PRIVATIZE_ROOTFS_PARENT(0x0202, MountStep.PrivatizeRootfsParent::readFrom),
    BIND_ROOTFS(0x0203, MountStep.BindRootfs::readFrom),
    MOUNT(0x0204, MountStep.Mount::readFrom),
    REMOUNT(0x0205, MountStep.Remount::readFrom),
    SET_MOUNT_ATTR(0x0206, MountStep.SetMountAttr::readFrom),
    READONLY_PATH(0x0207, MountStep.ReadonlyPath::readFrom),
    MASK_PATH(0x0208, MountStep.MaskPath::readFrom),

    MAKE_PATH(0x0301, FilesystemStep.MakePath::readFrom),
    CHMOD(0x0302, FilesystemStep.Chmod::readFrom),
    MAKE_DEVICE(0x0303, FilesystemStep.MakeDevice::readFrom),
    SYMLINK(0x0304, FilesystemStep.Symlink::readFrom),
    ENTER_ROOT(0x0305, FilesystemStep.EnterRoot::readFrom),
    REOPEN_DEV_NULL(0x0306, FilesystemStep.ReopenDevNull::readFrom),
    BIND_CONSOLE(0x0307, FilesystemStep.BindConsole::readFrom),

    SET_UMASK(0x0401, ProcessStep.SetUmask::readFrom),
    SYNC_WITH_RUNTIME(0x0402, ProcessStep.SyncWithRuntime::readFrom),
    RUN_HOOKS(0x0403, ProcessStep.RunHooks::readFrom),
    SET_HOSTNAME(0x0404, ProcessStep.SetHostname::readFrom),
    SET_DOMAINNAME(0x0405, ProcessStep.SetDomainname::readFrom),
    APPLY_APPARMOR_PROFILE(0x0406, ProcessStep.ApplyApparmorProfile::readFrom),
    SET_SELINUX_LABEL(0x0407, ProcessStep.SetSelinuxLabel::readFrom),
    WRITE_SYSCTL(0x0408, ProcessStep.WriteSysctl::readFrom),
    SET_RLIMIT(0x0409, ProcessStep.SetRlimit::readFrom),
    SET_PERSONALITY(0x040a, ProcessStep.SetPersonality::readFrom),
    SET_IO_PRIORITY(0x040b, ProcessStep.SetIoPriority::readFrom),
    SET_SCHEDULER(0x040c, ProcessStep.SetScheduler::readFrom),

    SET_NO_NEW_PRIVILEGES(0x0501, IdentityStep.SetNoNewPrivileges::readFrom),
    CHDIR(0x0502, IdentityStep.Chdir::readFrom),
    DROP_BOUNDING_SET(0x0503, IdentityStep.DropBoundingSet::readFrom),
    SWITCH_USER(0x0504, IdentityStep.SwitchUser::readFrom),
    SET_CAPABILITIES(0x0505, IdentityStep.SetCapabilities::readFrom),
    SET_AMBIENT(0x0506, IdentityStep.SetAmbient::readFrom),
    WAIT_FOR_START(0x0507, IdentityStep.WaitForStart::readFrom),
    CLOSE_INHERITED_FDS(0x0508, IdentityStep.CloseInheritedFds::readFrom),
    EXEC(0x0509, IdentityStep.Exec::readFrom),
    SET_SECCOMP(0x050a, IdentityStep.SetSeccomp::readFrom),
    SECCOMP_LISTENER(0x050b, IdentityStep.SeccompListener::readFrom);

    private final int code;
    private final Function<PlanReader, Step> reader;

    Opcode(int code, Function<PlanReader, Step> reader) {
        this.code = code;
        this.reader = reader;
    }

    /** The u16 written before each record. */
    public int code() {
        return code;
    }

    /** Reads this opcode's payload. */
    Step read(PlanReader payload) {
        return reader.apply(payload);
    }

    /** The opcode numbered {@code code}, or {@code null}. */
    static Opcode byCode(int code) {
        for (Opcode o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        return null;
    }
}
