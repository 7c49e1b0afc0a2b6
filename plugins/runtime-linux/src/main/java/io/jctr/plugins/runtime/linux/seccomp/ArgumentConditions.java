package io.jctr.plugins.runtime.linux.seccomp;

import io.jctr.plugins.runtime.linux.spec.Seccomp;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A rule's argument conditions as libseccomp's {@code struct scmp_arg_cmp}:
 *
 * <pre>
 * struct scmp_arg_cmp {          offset size
 *     unsigned int arg;           0     4    argument number, 0 to 5
 *     enum scmp_compare op;       4     4    an int-sized enum
 *     scmp_datum_t datum_a;       8     8    uint64_t, 8-aligned: no padding before it
 *     scmp_datum_t datum_b;       16    8
 * };                              24 bytes, on every ABI libseccomp supports
 * </pre>
 *
 * <p>For SCMP_CMP_MASKED_EQ, {@code datum_a} is the mask ({@code value}) and {@code datum_b} the
 * value compared with the masked argument ({@code valueTwo}), as the runtime spec and runc map them.
 */
final class ArgumentConditions {

    static final int STRUCT_SIZE = 24;
    /** Linux syscalls have at most six arguments (libseccomp's ARG_COUNT_MAX). */
    static final int MAX_ARGUMENTS = 6;

    /**
     * One condition.
     *
     * @param index  the argument number
     * @param op     the {@code enum scmp_compare} value
     * @param datumA the first operand
     * @param datumB the second operand
     */
    record Condition(int index, int op, long datumA, long datumB) {
    }

    private ArgumentConditions() {
    }

    /** The conditions of {@code args}, at JSON path {@code path}. */
    static List<Condition> of(String path, List<Seccomp.Arg> args) {
        List<Condition> out = new ArrayList<>(args.size());
        for (int k = 0; k < args.size(); k++) {
            String argPath = path + "[" + k + "]";
            Seccomp.Arg a = args.get(k);
            if (a.index() < 0 || a.index() >= MAX_ARGUMENTS) {
                throw new SpecException(argPath + ".index", a.index()
                        + " is not an argument number from 0 to " + (MAX_ARGUMENTS - 1));
            }
            out.add(new Condition((int) a.index(), SeccompNames.operator(argPath + ".op", a.op()),
                    a.value(), a.valueTwo()));
        }
        return out;
    }

    /** Whether two conditions test the same argument, which one libseccomp rule cannot. */
    static boolean sameArgumentTwice(List<Condition> conditions) {
        boolean[] seen = new boolean[MAX_ARGUMENTS];
        for (Condition c : conditions) {
            if (seen[c.index()]) {
                return true;
            }
            seen[c.index()] = true;
        }
        return false;
    }

    /** {@code seccomp_rule_add_array} of {@code conditions} (all must hold); libseccomp's result. */
    static int add(LibSeccomp lib, Pointer ctx, int action, int syscall, List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return lib.seccomp_rule_add_array(ctx, action, syscall, 0, null);
        }
        Pointer array = Memory.allocateDirect(NativeLibraries.runtime(), STRUCT_SIZE * conditions.size());
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            long at = (long) i * STRUCT_SIZE;
            // Direct memory is in host byte order, as the C struct.
            array.putInt(at, c.index());
            array.putInt(at + 4, c.op());
            array.putLong(at + 8, c.datumA());
            array.putLong(at + 16, c.datumB());
        }
        return lib.seccomp_rule_add_array(ctx, action, syscall, conditions.size(), array);
    }
}
