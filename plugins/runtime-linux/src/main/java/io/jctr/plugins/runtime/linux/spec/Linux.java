package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * The Linux section ({@code linux}).
 *
 * @param uidMappings       the user namespace's uid mapping
 * @param gidMappings       the user namespace's gid mapping
 * @param timeOffsets       clock offsets of a new time namespace, by clock name
 * @param sysctl            kernel parameters to set, by dotted (or slashed) name
 * @param resources         cgroup resources; {@code null} when absent
 * @param cgroupsPath       the cgroup path, {@code ""} when unset
 * @param namespaces        namespaces to create or join
 * @param devices           device nodes to provide
 * @param seccomp           the seccomp filter; {@code null} when absent
 * @param rootfsPropagation the propagation of {@code /}, {@code ""} when unset
 * @param maskedPaths       paths made unreadable
 * @param readonlyPaths     paths made read-only
 * @param mountLabel        the SELinux mount label, {@code ""} when unset
 * @param intelRdt          Intel RDT settings; {@code null} when absent
 * @param personality       the execution domain; {@code null} when absent
 */
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        Personality personality) {

    /** Normalises absent fields to empty ones. */
    public Linux {
        uidMappings = OrEmpty.list(uidMappings);
        gidMappings = OrEmpty.list(gidMappings);
        timeOffsets = OrEmpty.map(timeOffsets);
        sysctl = OrEmpty.map(sysctl);
        cgroupsPath = OrEmpty.string(cgroupsPath);
        namespaces = OrEmpty.list(namespaces);
        devices = OrEmpty.list(devices);
        rootfsPropagation = OrEmpty.string(rootfsPropagation);
        maskedPaths = OrEmpty.list(maskedPaths);
        readonlyPaths = OrEmpty.list(readonlyPaths);
        mountLabel = OrEmpty.string(mountLabel);
    }

    /**
     * A namespace to create ({@code path} empty) or join.
     *
     * @param type {@code pid}, {@code network}, ...; {@code ""} when absent
     * @param path the namespace file to join, {@code ""} to create a new namespace
     */
    public record Namespace(String type, String path) {

        /** Normalises absent fields to {@code ""}. */
        public Namespace {
            type = OrEmpty.string(type);
            path = OrEmpty.string(path);
        }
    }

    /**
     * A device node the container must have.
     *
     * @param path     where, inside the container; {@code ""} when absent
     * @param type     {@code c}, {@code b}, {@code u} or {@code p}; {@code ""} when absent
     * @param major    the major number; {@code null} when absent
     * @param minor    the minor number; {@code null} when absent
     * @param fileMode permission bits, uint32; {@code null} for 0666
     * @param uid      the owner in the container, uint32; {@code null} for 0
     * @param gid      the group in the container, uint32; {@code null} for 0
     */
    public record Device(
            String path,
            String type,
            Long major,
            Long minor,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long fileMode,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long uid,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long gid) {

        /** Normalises absent strings to {@code ""}. */
        public Device {
            path = OrEmpty.string(path);
            type = OrEmpty.string(type);
        }
    }

    /**
     * A clock's offset in a new time namespace.
     *
     * @param secs     seconds, int64
     * @param nanosecs nanoseconds, uint32
     */
    public record TimeOffset(
            long secs, @JsonDeserialize(using = Unsigned.Uint32.class) long nanosecs) {
    }

    /**
     * Intel Resource Director Technology settings.
     *
     * @param closId        the class of service, {@code ""} when unset
     * @param l3CacheSchema the L3 cache schema, {@code ""} when unset
     * @param memBwSchema   the memory bandwidth schema, {@code ""} when unset
     * @param enableCmt     whether cache monitoring is enabled
     * @param enableMbm     whether memory bandwidth monitoring is enabled
     */
    public record IntelRdt(
            @JsonProperty("closID") String closId,
            String l3CacheSchema,
            String memBwSchema,
            @JsonProperty("enableCMT") boolean enableCmt,
            @JsonProperty("enableMBM") boolean enableMbm) {

        /** Normalises absent strings to {@code ""}. */
        public IntelRdt {
            closId = OrEmpty.string(closId);
            l3CacheSchema = OrEmpty.string(l3CacheSchema);
            memBwSchema = OrEmpty.string(memBwSchema);
        }
    }

    /**
     * The execution domain ({@code personality(2)}).
     *
     * @param domain {@code LINUX} or {@code LINUX32}; {@code ""} when absent
     * @param flags  additional flags; the spec defines none
     */
    public record Personality(String domain, List<String> flags) {

        /** Normalises absent fields to empty ones. */
        public Personality {
            domain = OrEmpty.string(domain);
            flags = OrEmpty.list(flags);
        }
    }
}
