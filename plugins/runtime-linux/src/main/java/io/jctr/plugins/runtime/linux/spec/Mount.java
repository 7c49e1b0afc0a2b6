package io.jctr.plugins.runtime.linux.spec;

import java.util.List;

/**
 * One entry of {@code mounts}.
 *
 * @param destination where to mount, inside the container; {@code ""} when absent
 * @param type        the filesystem type; {@code ""} when absent (bind mounts need none)
 * @param source      a device, a path (absolute or bundle-relative for binds) or a dummy
 * @param options     fstab-style options
 * @param uidMappings the id-mapped mount's uid mapping
 * @param gidMappings the id-mapped mount's gid mapping
 */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {

    /** Normalises absent fields to empty ones. */
    public Mount {
        destination = OrEmpty.string(destination);
        type = OrEmpty.string(type);
        source = OrEmpty.string(source);
        options = OrEmpty.list(options);
        uidMappings = OrEmpty.list(uidMappings);
        gidMappings = OrEmpty.list(gidMappings);
    }

    /** Whether the options make this a bind mount ({@code bind} or {@code rbind}). */
    public boolean isBind() {
        return options.contains("bind") || options.contains("rbind");
    }
}
