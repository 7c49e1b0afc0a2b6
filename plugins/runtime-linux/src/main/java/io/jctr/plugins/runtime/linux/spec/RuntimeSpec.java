package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime configuration ({@code config.json}, Runtime Specification 1.1) bound to Java
 * records, with the raw JSON it came from. Fields other platforms use (Windows, Solaris, VM,
 * z/OS) and fields this model does not know are not bound but stay in {@link #raw()}.
 *
 * <p>Binding follows Go's {@code encoding/json} as runc uses it: an absent or {@code null} field
 * is its zero value; absent lists and maps are empty, never {@code null}; absent objects are
 * {@code null}. Instances come from {@link SpecParser}; the records are immutable and
 * thread-safe.
 *
 * @param ociVersion  the specification version the bundle complies with, e.g. {@code 1.0.2-dev}
 * @param process     the container process; {@code null} when absent
 * @param root        the root filesystem; {@code null} when absent
 * @param hostname    the container's hostname, {@code ""} when unset
 * @param domainname  the container's NIS domain name, {@code ""} when unset
 * @param mounts      additional mounts, in the order they are mounted
 * @param hooks       lifecycle hooks; {@code null} when absent
 * @param annotations arbitrary metadata
 * @param linux       the Linux section; {@code null} when absent
 * @param raw         the bytes the spec was parsed from
 */
public record RuntimeSpec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux,
        @JacksonInject(value = SpecParser.RAW_JSON, useInput = OptBoolean.FALSE) RawJson raw) {

    /** Normalises absent strings, lists and maps to empty ones. */
    public RuntimeSpec {
        ociVersion = OrEmpty.string(ociVersion);
        hostname = OrEmpty.string(hostname);
        domainname = OrEmpty.string(domainname);
        mounts = OrEmpty.list(mounts);
        annotations = OrEmpty.map(annotations);
    }
}
