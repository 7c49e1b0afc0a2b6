package io.jctr.core.tasks;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jctr.api.cgroups.v1.Metrics;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds containerd's {@code io.containerd.cgroups.v1.Metrics} from a runtime's flat statistics
 * keys ({@link CgroupStats} names them after that proto's fields), by walking the proto's
 * descriptors rather than naming every field twice. Keys the proto lacks are left out.
 */
final class CgroupMetrics {

    static final String V1_TYPE = "io.containerd.cgroups.v1.Metrics";

    private CgroupMetrics() {
    }

    /** The sample as the {@code data} of a {@code containerd.types.Metric}. */
    static Any encode(CgroupStats stats) {
        if (stats.version() != 1) {
            throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                    "metrics of cgroup version " + stats.version() + " (only v1 is encoded)");
        }
        Metrics.Builder root = Metrics.newBuilder();
        // Repeated scalars are filled by index, so the keys' order does not matter.
        for (Map.Entry<String, Long> e : stats.values().entrySet()) {
            set(root, segments(e.getKey()), 0, e.getValue());
        }
        // ctr dereferences memory.usage and cpu.usage when their parents are present.
        if (root.hasMemory() && !root.getMemory().hasUsage()) {
            root.getMemoryBuilder().getUsageBuilder();
        }
        if (root.hasCpu() && !root.getCpu().hasUsage()) {
            root.getCpuBuilder().getUsageBuilder();
        }
        return Any.newBuilder().setTypeUrl(V1_TYPE).setValue(root.build().toByteString()).build();
    }

    private record Segment(String name, String selector) {
    }

    private static List<Segment> segments(String key) {
        List<Segment> out = new ArrayList<>();
        int start = 0;
        int depth = 0;
        for (int i = 0; i <= key.length(); i++) {
            char c = i < key.length() ? key.charAt(i) : '.';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                String part = key.substring(start, i);
                int open = part.indexOf('[');
                out.add(open < 0 ? new Segment(part, null)
                        : new Segment(part.substring(0, open), part.substring(open + 1, part.length() - 1)));
                start = i + 1;
            }
        }
        return out;
    }

    private static void set(Message.Builder b, List<Segment> path, int i, long value) {
        Segment s = path.get(i);
        FieldDescriptor f = b.getDescriptorForType().findFieldByName(s.name());
        if (f == null) {
            return;
        }
        boolean last = i == path.size() - 1;
        if (s.selector() == null) {
            if (f.isRepeated()) {
                return;
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (!last) {
                    set(b.getFieldBuilder(f), path, i + 1, value);
                }
            } else if (last) {
                b.setField(f, scalar(f, value));
            }
            return;
        }
        if (!f.isRepeated()) {
            return;
        }
        if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            if (last && s.selector().chars().allMatch(Character::isDigit) && !s.selector().isEmpty()) {
                int index = Integer.parseInt(s.selector());
                while (b.getRepeatedFieldCount(f) <= index) {
                    b.addRepeatedField(f, scalar(f, 0));
                }
                b.setRepeatedField(f, index, scalar(f, value));
            }
            return;
        }
        if (last) {
            return;
        }
        set(element(b, f, s.selector()), path, i + 1, value);
    }

    /** The element of a repeated message field that the selector names, added if missing. */
    private static Message.Builder element(Message.Builder b, FieldDescriptor f, String selector) {
        for (int k = 0; k < b.getRepeatedFieldCount(f); k++) {
            Message.Builder e = b.getRepeatedFieldBuilder(f, k);
            if (selector.equals(selectorOf(e))) {
                return e;
            }
        }
        Message.Builder fresh = b.newBuilderForField(f);
        identify(fresh, selector);
        b.addRepeatedField(f, fresh.build());
        return b.getRepeatedFieldBuilder(f, b.getRepeatedFieldCount(f) - 1);
    }

    /**
     * blkio entries are selected as {@code major:minor,op}; every other repeated message by its
     * first string field ({@code pagesize}, {@code name}, {@code device}).
     */
    private static void identify(Message.Builder e, String selector) {
        var d = e.getDescriptorForType();
        if (d.getName().equals("BlkIOEntry")) {
            String[] parts = selector.split(",", 2);
            String[] dev = parts[0].split(":", 2);
            e.setField(d.findFieldByName("major"), parseOrZero(dev[0]));
            e.setField(d.findFieldByName("minor"), dev.length > 1 ? parseOrZero(dev[1]) : 0L);
            e.setField(d.findFieldByName("op"), parts.length > 1 ? parts[1] : "");
            return;
        }
        for (FieldDescriptor f : d.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                e.setField(f, selector);
                return;
            }
        }
    }

    private static String selectorOf(Message.Builder e) {
        var d = e.getDescriptorForType();
        if (d.getName().equals("BlkIOEntry")) {
            return e.getField(d.findFieldByName("major")) + ":" + e.getField(d.findFieldByName("minor")) + ","
                    + e.getField(d.findFieldByName("op"));
        }
        for (FieldDescriptor f : d.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                return (String) e.getField(f);
            }
        }
        return "";
    }

    private static long parseOrZero(String s) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Object scalar(FieldDescriptor f, long value) {
        return switch (f.getJavaType()) {
            case LONG -> value;
            case INT -> (int) value;
            case STRING -> Long.toUnsignedString(value);
            case BOOLEAN -> value != 0;
            default -> throw new IllegalStateException("no number maps to field " + f.getFullName());
        };
    }
}
