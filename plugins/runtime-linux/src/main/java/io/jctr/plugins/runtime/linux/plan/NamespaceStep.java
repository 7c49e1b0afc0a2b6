package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps that give the container its namespaces. The helper performs them before the container's
 * init runs its own steps; which of its processes performs each (a parent writes the child's id
 * maps) is the helper's mechanics, the order is the plan's.
 */
public sealed interface NamespaceStep extends Step {

    /**
     * Write {@code value} to {@code /proc/self/oom_score_adj}; children inherit it.
     *
     * @param value -1000 to 1000
     */
    record SetOomScoreAdj(int value) implements NamespaceStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_OOM_SCORE_ADJ;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(value);
        }

        static SetOomScoreAdj readFrom(PlanReader in) {
            return new SetOomScoreAdj(in.i32());
        }
    }

    /**
     * Open {@code path} and {@code setns(2)} into it with the type's {@code CLONE_NEW*} flag as
     * {@code nstype}, so that the kernel checks the file is a namespace of that type.
     *
     * @param type the namespace type
     * @param path the namespace file, absolute
     */
    record JoinNamespace(NamespaceType type, String path) implements NamespaceStep {
        @Override
        public Opcode opcode() {
            return Opcode.JOIN_NAMESPACE;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(type.cloneFlag()).str(path);
        }

        static JoinNamespace readFrom(PlanReader in) {
            long flag = in.i64();
            NamespaceType type = NamespaceType.byCloneFlag(flag)
                    .orElseThrow(() -> in.error("unknown namespace flag 0x" + Long.toHexString(flag)));
            return new JoinNamespace(type, in.str());
        }
    }

    /**
     * {@code unshare(CLONE_NEWTIME)}, then write each offset to
     * {@code /proc/self/timens_offsets} as {@code "<clock> <secs> <nanosecs>"}; processes
     * forked afterwards are created inside the new time namespace.
     *
     * @param offsets the clock offsets, possibly none
     */
    record UnshareTime(List<ClockOffset> offsets) implements NamespaceStep {

        /** Copies the offsets. */
        public UnshareTime {
            offsets = List.copyOf(offsets);
        }

        @Override
        public Opcode opcode() {
            return Opcode.UNSHARE_TIME;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(offsets.size());
            for (ClockOffset o : offsets) {
                out.str(o.clock()).i64(o.secs()).i64(o.nanosecs());
            }
        }

        static UnshareTime readFrom(PlanReader in) {
            int n = in.count(20);
            List<ClockOffset> offsets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                offsets.add(new ClockOffset(in.str(), in.i64(), in.i64()));
            }
            return new UnshareTime(offsets);
        }
    }

    /**
     * One line of {@code /proc/self/timens_offsets}.
     *
     * @param clock    {@code monotonic} or {@code boottime}
     * @param secs     seconds
     * @param nanosecs nanoseconds, below one second
     */
    record ClockOffset(String clock, long secs, long nanosecs) {
    }

    /**
     * Create the container's init with {@code cloneFlags}: one {@code clone(2)} (or
     * {@code unshare(2)} then fork) with every {@code CLONE_NEW*} flag at once.
     *
     * @param cloneFlags an OR of {@code CLONE_NEW*} flags, never {@code CLONE_NEWTIME}
     */
    record CreateNamespaces(long cloneFlags) implements NamespaceStep {
        @Override
        public Opcode opcode() {
            return Opcode.CREATE_NAMESPACES;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(cloneFlags);
        }

        static CreateNamespaces readFrom(PlanReader in) {
            return new CreateNamespaces(in.i64());
        }
    }

    /**
     * From the parent user namespace, write the child's {@code /proc/<pid>/setgroups} (only if
     * {@code denySetgroups}: {@code "deny"}), then {@code uid_map}, then {@code gid_map}, each
     * map in a single {@code write(2)} of lines {@code "<inside> <outside> <count>\n"}.
     *
     * @param uidMap        the uid map lines, at least one
     * @param gidMap        the gid map lines, at least one
     * @param denySetgroups whether setgroups is denied first
     */
    record WriteIdMaps(List<IdMapLine> uidMap, List<IdMapLine> gidMap, boolean denySetgroups)
            implements NamespaceStep {

        /** Copies the maps. */
        public WriteIdMaps {
            uidMap = List.copyOf(uidMap);
            gidMap = List.copyOf(gidMap);
        }

        @Override
        public Opcode opcode() {
            return Opcode.WRITE_ID_MAPS;
        }

        @Override
        public void writeTo(PlanWriter out) {
            writeMap(out, uidMap);
            writeMap(out, gidMap);
            out.bool(denySetgroups);
        }

        static WriteIdMaps readFrom(PlanReader in) {
            return new WriteIdMaps(readMap(in), readMap(in), in.bool());
        }

        private static void writeMap(PlanWriter out, List<IdMapLine> map) {
            out.i32(map.size());
            for (IdMapLine line : map) {
                out.i32((int) line.inside()).i32((int) line.outside()).i32((int) line.count());
            }
        }

        private static List<IdMapLine> readMap(PlanReader in) {
            int n = in.count(12);
            List<IdMapLine> map = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                map.add(new IdMapLine(Integer.toUnsignedLong(in.i32()),
                        Integer.toUnsignedLong(in.i32()), Integer.toUnsignedLong(in.i32())));
            }
            return map;
        }
    }

    /**
     * One line of an id map.
     *
     * @param inside  the first id in the new namespace, uint32
     * @param outside the first id in the parent namespace, uint32
     * @param count   how many ids, uint32
     */
    record IdMapLine(long inside, long outside, long count) {

        /** The line as written to the map file, with its newline. */
        public String line() {
            return inside + " " + outside + " " + count + "\n";
        }
    }

    /** In the new network namespace, set the flag {@code IFF_UP} on {@code lo}. */
    record BringUpLoopback() implements NamespaceStep {
        @Override
        public Opcode opcode() {
            return Opcode.BRING_UP_LOOPBACK;
        }

        @Override
        public void writeTo(PlanWriter out) {
        }

        static BringUpLoopback readFrom(PlanReader in) {
            return new BringUpLoopback();
        }
    }
}
