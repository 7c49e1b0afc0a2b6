package io.jctr.plugins.runtime.linux.plan;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link LaunchPlan} for the C helper: a flat sequence of length-prefixed records that
 * a C program reads with a cursor and a switch, no JSON parser needed.
 *
 * <h2>Format, version 1</h2>
 *
 * <p>All integers are big-endian and fixed-width: {@code u8}, {@code u16}, {@code u32} unsigned;
 * {@code i32}, {@code i64} two's complement (an unsigned 64-bit value, such as RLIM_INFINITY or a
 * capability mask, is carried in an {@code i64}'s bits). Composite values:
 *
 * <ul>
 *   <li>{@code str}: {@code u32} byte length, then that many bytes of UTF-8; no NUL inside and no
 *       terminator (the reader appends one);
 *   <li>{@code str[]}: {@code u32} count, then each {@code str};
 *   <li>{@code i64[]}: {@code u32} count, then each {@code i64};
 *   <li>{@code bool}: one byte, 0 or 1;
 *   <li>{@code blob}: {@code u32} byte length, then that many bytes, opaque to the format (their
 *       own byte order is the payload's business).
 * </ul>
 *
 * <pre>
 * plan   := magic version count record*count
 * magic  := "JCTRPLAN"                      8 bytes, ASCII
 * version:= u8                               1
 * count  := u32                              number of records
 * record := opcode:u16 length:u32 payload    length = payload bytes
 * </pre>
 *
 * <p>The helper executes records in order. It must reject the whole plan before executing any
 * of it when the magic or version differs, an opcode is unknown, a payload is shorter or longer
 * than its fields, or bytes follow the last record. Payloads by opcode ({@link Opcode} numbers;
 * each step's Javadoc says what the helper does with the fields):
 *
 * <pre>
 * 0x0101 SetOomScoreAdj        value:i32
 * 0x0102 JoinNamespace         nstype:i64 path:str
 * 0x0103 UnshareTime           n:u32 (clock:str secs:i64 nanosecs:i64)*n
 * 0x0104 CreateNamespaces      cloneFlags:i64
 * 0x0105 WriteIdMaps           nu:u32 (inside:u32 outside:u32 count:u32)*nu
 *                              ng:u32 (inside:u32 outside:u32 count:u32)*ng denySetgroups:bool
 * 0x0106 BringUpLoopback       -
 * 0x0201 SetPropagation        target:str flags:i64 origin:str
 * 0x0202 PrivatizeRootfsParent rootfs:str
 * 0x0203 BindRootfs            rootfs:str
 * 0x0204 Mount                 source:str target:str fstype:str flags:i64 data:str origin:str
 * 0x0205 Remount               target:str flags:i64 origin:str
 * 0x0206 SetMountAttr          target:str attrSet:i64 attrClr:i64 origin:str
 * 0x0207 ReadonlyPath          path:str origin:str
 * 0x0208 MaskPath              path:str origin:str
 * 0x0301 MakePath              path:str kind:u8 (1 directory, 2 file) origin:str
 * 0x0302 Chmod                 path:str mode:i32 origin:str
 * 0x0303 MakeDevice            path:str kind:u8 ('c', 'b', 'p') major:i64 minor:i64 mode:i32
 *                              uid:i64 gid:i64 origin:str
 * 0x0304 Symlink               linkTarget:str path:str replace:bool
 * 0x0305 EnterRoot             how:u8 (1 pivot_root, 2 move+chroot, 3 chroot) rootfs:str
 * 0x0306 ReopenDevNull         -
 * 0x0307 BindConsole           path:str
 * 0x0401 SetUmask              mask:i32
 * 0x0402 SyncWithRuntime       point:u8 (1 createRuntime hooks, 2 ready)
 * 0x0403 RunHooks              phase:u8 (1 createContainer, 2 startContainer)
 *                              n:u32 (path:str args:str[] env:str[] timeoutSeconds:i32)*n
 * 0x0404 SetHostname           name:str
 * 0x0405 SetDomainname         name:str
 * 0x0406 ApplyApparmorProfile  profile:str
 * 0x0407 SetSelinuxLabel       label:str
 * 0x0408 WriteSysctl           path:str value:str origin:str
 * 0x0409 SetRlimit             resource:i32 soft:i64 hard:i64 origin:str
 * 0x040a SetPersonality        persona:i64
 * 0x040b SetIoPriority         class:i32 priority:i32
 * 0x040c SetScheduler          policy:i32 flags:i64 nice:i32 priority:i32 runtime:i64
 *                              deadline:i64 period:i64
 * 0x0501 SetNoNewPrivileges    -
 * 0x0502 Chdir                 path:str
 * 0x0503 DropBoundingSet       keep:i64 lastCap:i32
 * 0x0504 SwitchUser            uid:i64 gid:i64 additionalGids:i64[] setGroups:bool
 * 0x0505 SetCapabilities       effective:i64 permitted:i64 inheritable:i64
 * 0x0506 SetAmbient            raise:i64 lastCap:i32
 * 0x0507 WaitForStart          -
 * 0x0508 CloseInheritedFds     lowest:i32
 * 0x0509 Exec                  argv:str[] env:str[]
 * 0x050a SetSeccomp            flags:i64 filter:blob (struct sock_filter[], host byte order,
 *                              length a multiple of 8, 8 to 32768 bytes)
 * 0x050b SeccompListener       listenerPath:str metadata:str ociVersion:str
 * </pre>
 *
 * <p>{@code SeccompListener} declares the seccomp agent of the {@code SetSeccomp} that follows it
 * with SECCOMP_FILTER_FLAG_NEW_LISTENER: the helper's parent connects to {@code listenerPath}
 * (a unix stream socket) before it joins any namespace, the init passes the listener descriptor
 * seccomp(2) returns to the parent, and the parent sends it to the agent with runc's
 * {@code ContainerProcessState} JSON before the init goes on (runc 1.1's procSeccomp).
 *
 * <p>When {@code CreateNamespaces} makes a new user and mount namespace and the helper runs as
 * root, the helper's parent opens the absolute source of every bind {@code Mount} after it
 * (flags with MS_BIND, without MS_REMOUNT) in the init's mount namespace and passes the
 * descriptors to the init, which mounts from {@code /proc/self/fd/N}: a source the container's
 * root may not reach still mounts (runc 1.1's mountFds).
 *
 * <p>{@link LaunchPlan#warnings()} are not encoded. Stateless and thread-safe;
 * {@link PlanDecoder} reads the format back.
 */
public final class PlanEncoder {

    /** The first eight bytes of every encoded plan. */
    public static final byte[] MAGIC = "JCTRPLAN".getBytes(StandardCharsets.US_ASCII);

    /** The format version this encoder writes. */
    public static final int VERSION = 1;

    private PlanEncoder() {
    }

    /** The encoded plan. */
    public static byte[] encode(LaunchPlan plan) {
        PlanWriter out = new PlanWriter().bytes(MAGIC).u8(VERSION).i32(plan.steps().size());
        for (Step step : plan.steps()) {
            PlanWriter payload = new PlanWriter();
            step.writeTo(payload);
            byte[] bytes = payload.toByteArray();
            out.u16(step.opcode().code()).i32(bytes.length).bytes(bytes);
        }
        return out.toByteArray();
    }
}
