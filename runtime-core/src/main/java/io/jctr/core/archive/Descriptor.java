package io.jctr.core.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.core.images.ImageRecord;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An OCI content descriptor as found in index.json, indexes and manifests.
 *
 * @param platform empty when the descriptor names none
 */
record Descriptor(String mediaType, String digest, long size, Optional<Platform> platform, Map<String, String> annotations) {

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    Descriptor {
        annotations = Map.copyOf(annotations);
    }

    static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of());
    }

    static Descriptor of(ImageRecord.Target t) {
        return new Descriptor(t.mediaType(), t.digest(), t.size(), Optional.empty(), t.annotations());
    }

    Descriptor withAnnotations(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(annotations);
        all.putAll(more);
        return new Descriptor(mediaType, digest, size, platform, all);
    }

    ImageRecord.Target target() {
        return new ImageRecord.Target(mediaType, digest, size, annotations);
    }

    /**
     * Parses a descriptor object; {@code where} names it in errors (file and JSON path).
     *
     * @throws JctrException INVALID_ARGUMENT for a missing or malformed field
     */
    static Descriptor parse(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw JctrException.invalidArgument("%s: not a descriptor object", where);
        }
        String digest = text(n, "digest", where);
        if (!DIGEST.matcher(digest).matches()) {
            throw JctrException.invalidArgument("%s: unsupported or malformed digest \"%s\"", where, digest);
        }
        JsonNode size = n.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw JctrException.invalidArgument("%s: size must be a non-negative integer", where);
        }
        Optional<Platform> platform = Optional.empty();
        JsonNode p = n.get("platform");
        if (p != null && p.isObject()) {
            String os = p.path("os").asText("");
            String arch = p.path("architecture").asText("");
            if (os.isEmpty() || arch.isEmpty()) {
                throw JctrException.invalidArgument("%s: platform needs os and architecture", where);
            }
            platform = Optional.of(new Platform(os, arch, p.path("variant").asText("")));
        }
        Map<String, String> annotations = new TreeMap<>();
        JsonNode a = n.get("annotations");
        if (a != null && a.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                annotations.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Descriptor(n.path("mediaType").asText(""), digest, size.asLong(), platform, annotations);
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw JctrException.invalidArgument("%s: missing %s", where, field);
        }
        return v.asText();
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("mediaType", mediaType);
        n.put("digest", digest);
        n.put("size", size);
        platform.ifPresent(p -> {
            ObjectNode pn = n.putObject("platform");
            pn.put("architecture", p.architecture());
            pn.put("os", p.os());
            if (!p.variant().isEmpty()) {
                pn.put("variant", p.variant());
            }
        });
        if (!annotations.isEmpty()) {
            ObjectNode an = n.putObject("annotations");
            new TreeMap<>(annotations).forEach(an::put);
        }
        return n;
    }
}
