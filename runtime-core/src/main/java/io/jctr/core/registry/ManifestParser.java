package io.jctr.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the descriptors out of manifests, indexes and the diff ids out of image configs. */
public final class ManifestParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private ManifestParser() {
    }

    /** A manifest's parts. */
    public record Manifest(Descriptor config, List<Descriptor> layers) {
    }

    /** The media type a manifest document declares, or {@code fallback} when it declares none. */
    public static String mediaType(byte[] json, String fallback, String what) {
        JsonNode root = read(json, what);
        String declared = root.path("mediaType").asText("");
        if (root.path("schemaVersion").asInt(0) == 1) {
            throw JctrException.invalidArgument("%s: docker schema 1 manifests are not supported", what);
        }
        if (!declared.isEmpty()) {
            return declared;
        }
        if (MediaTypes.isIndex(fallback) || MediaTypes.isManifest(fallback)) {
            return fallback;
        }
        return root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    public static List<Descriptor> index(byte[] json, String what) {
        JsonNode manifests = read(json, what).path("manifests");
        if (!manifests.isArray()) {
            throw JctrException.invalidArgument("%s: index has no manifests list", what);
        }
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode m : manifests) {
            JsonNode p = m.path("platform");
            Platform platform = p.isObject() && !p.path("os").asText("").isEmpty() && !p.path("architecture").asText("").isEmpty()
                    ? new Platform(p.path("os").asText(), p.path("architecture").asText(), p.path("variant").asText(""))
                    : null;
            Descriptor d = descriptor(m, what);
            out.add(new Descriptor(d.mediaType(), d.digest(), d.size(), platform, d.annotations()));
        }
        return out;
    }

    public static Manifest manifest(byte[] json, String what) {
        JsonNode root = read(json, what);
        if (!root.path("config").isObject() || !root.path("layers").isArray()) {
            throw JctrException.invalidArgument("%s: manifest lacks config or layers", what);
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            layers.add(descriptor(l, what));
        }
        return new Manifest(descriptor(root.path("config"), what), layers);
    }

    /** The config's platform, or {@code null} when it names none. */
    public static Platform configPlatform(byte[] json, String what) {
        JsonNode root = read(json, what);
        String os = root.path("os").asText("");
        String arch = root.path("architecture").asText("");
        return os.isEmpty() || arch.isEmpty() ? null : new Platform(os, arch, root.path("variant").asText(""));
    }

    public static List<String> diffIds(byte[] json, String what) {
        JsonNode ids = read(json, what).path("rootfs").path("diff_ids");
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            String s = id.asText("");
            if (!DIGEST.matcher(s).matches()) {
                throw JctrException.invalidArgument("%s: invalid diff id \"%s\"", what, s);
            }
            out.add(s);
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode n, String what) {
        String digest = n.path("digest").asText("");
        if (!DIGEST.matcher(digest).matches()) {
            throw JctrException.invalidArgument("%s: invalid or unsupported digest \"%s\"", what, digest);
        }
        long size = n.path("size").asLong(-1);
        if (size < 0) {
            throw JctrException.invalidArgument("%s: descriptor %s has no valid size", what, digest);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        n.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new Descriptor(n.path("mediaType").asText(""), digest, size, null, annotations);
    }

    private static JsonNode read(byte[] json, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw JctrException.invalidArgument("%s: not a JSON object", what);
            }
            return n;
        } catch (IOException e) {
            throw JctrException.invalidArgument("%s: malformed JSON: %s", what, e.getMessage());
        }
    }
}
