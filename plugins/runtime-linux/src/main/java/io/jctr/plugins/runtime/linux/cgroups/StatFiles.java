package io.jctr.plugins.runtime.linux.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsers of the statistics files' formats, shared by v1 and v2. Stateless. */
final class StatFiles {

    private StatFiles() {
    }

    /** A {@code key value} per line file ({@code memory.stat}); absent means empty. */
    static Map<String, Long> keyValues(Path dir, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (dir == null || !CgroupFiles.exists(dir, file)) {
            return out;
        }
        for (String line : CgroupFiles.read(dir, file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                out.put(f[0], CgroupFiles.parseLong(dir, file, f[1]));
            }
        }
        return out;
    }

    /** A number file, or 0 when the file or directory does not exist. */
    static long number(Path dir, String file) {
        if (dir == null || !CgroupFiles.exists(dir, file)) {
            return 0;
        }
        return CgroupFiles.readLong(dir, file);
    }

    /** Space-separated numbers on one line ({@code cpuacct.usage_percpu}). */
    static List<Long> numbers(Path dir, String file) {
        List<Long> out = new ArrayList<>();
        if (dir == null || !CgroupFiles.exists(dir, file)) {
            return out;
        }
        for (String f : CgroupFiles.read(dir, file).split("\\s+")) {
            if (!f.isEmpty()) {
                out.add(CgroupFiles.parseLong(dir, file, f));
            }
        }
        return out;
    }

    /** v1 blkio lines {@code 8:0 Read 4096}; the {@code Total} summary line has no device. */
    static List<CgroupStats.BlkioEntry> blkio(Path dir, String file) {
        List<CgroupStats.BlkioEntry> out = new ArrayList<>();
        if (dir == null || !CgroupFiles.exists(dir, file)) {
            return out;
        }
        for (String line : CgroupFiles.read(dir, file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] mm = f[0].split(":");
                out.add(new CgroupStats.BlkioEntry(Long.parseLong(mm[0]), Long.parseLong(mm[1]),
                        f[1], CgroupFiles.parseLong(dir, file, f[2])));
            }
        }
        return out;
    }
}
