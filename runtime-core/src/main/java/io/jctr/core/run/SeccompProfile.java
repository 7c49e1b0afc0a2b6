package io.jctr.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * containerd's default seccomp profile ({@code contrib/seccomp.DefaultProfile}) for a process
 * with given bounding capabilities. The rules are data, {@code seccomp-default.json}, generated
 * from containerd's own code by {@code runtime-core/src/build/run-defaults/main.go}: the rules
 * every process gets, those a capability adds (CAP_SYS_ADMIN: mount, unshare, ...) and those it
 * replaces (without CAP_SYS_ADMIN: clone without namespace flags, clone3 answering ENOSYS so a
 * new libc falls back to clone).
 */
final class SeccompProfile {

    private static final JsonNode RULES = load();

    private SeccompProfile() {
    }

    /** The {@code linux.seccomp} object of an OCI spec for a process bounded by {@code capabilities}. */
    static ObjectNode forCapabilities(Collection<String> capabilities) {
        ObjectNode s = SpecJson.MAPPER.createObjectNode();
        s.put("defaultAction", RULES.get("defaultAction").asText());
        s.set("architectures", RULES.get("architectures").deepCopy());
        ArrayNode syscalls = s.putArray("syscalls");
        RULES.get("base").forEach(r -> syscalls.add(r.deepCopy()));
        RULES.get("ifCapability").fields().forEachRemaining(e -> {
            if (capabilities.contains(e.getKey())) {
                e.getValue().forEach(r -> syscalls.add(r.deepCopy()));
            }
        });
        RULES.get("unlessCapability").fields().forEachRemaining(e -> {
            if (!capabilities.contains(e.getKey())) {
                e.getValue().forEach(r -> syscalls.add(r.deepCopy()));
            }
        });
        return s;
    }

    private static JsonNode load() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream("seccomp-default.json")) {
            if (in == null) {
                throw new IllegalStateException("seccomp-default.json is missing from the class path");
            }
            return SpecJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seccomp-default.json", e);
        }
    }

}
