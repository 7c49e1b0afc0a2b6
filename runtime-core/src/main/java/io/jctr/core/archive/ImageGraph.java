package io.jctr.core.archive;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.core.content.ContentRecord;
import io.jctr.core.content.ContentService;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content graph under an image's target, walked in one namespace's content: an index leads
 * to the manifests {@link PlatformFilter} accepts, a manifest to its config and layers. Every
 * blob reached must be present with the size its descriptor states.
 */
final class ImageGraph {

    /** The largest index or manifest read. */
    static final int MAX_JSON = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A blob of the graph and, for an index or manifest, what it references (label key
     * {@code m.<i>}, {@code config}, {@code l.<i>} to the child), in walk order.
     */
    record Node(Descriptor descriptor, Map<String, Descriptor> children) {
    }

    private final ContentService content;
    private final String ns;

    ImageGraph(ContentService content, String ns) {
        this.content = content;
        this.ns = ns;
    }

    /**
     * Every node under {@code root} (root first, each blob once).
     *
     * @param what names the image in errors
     * @throws JctrException NOT_FOUND for a missing blob, INVALID_ARGUMENT for malformed JSON,
     *                       an unsupported media type, a size mismatch, or an index without a
     *                       manifest for the requested platforms
     */
    List<Node> walk(Descriptor root, PlatformFilter platforms, String what) throws IOException {
        Map<String, Node> out = new LinkedHashMap<>();
        visit(root, platforms, what, out, 0);
        return new ArrayList<>(out.values());
    }

    private void visit(Descriptor d, PlatformFilter platforms, String what, Map<String, Node> out, int depth) throws IOException {
        if (out.containsKey(d.digest())) {
            return;
        }
        if (depth > 4) {
            throw JctrException.invalidArgument("%s: indexes nested too deep at %s", what, d.digest());
        }
        present(d, what);
        if (MediaTypes.isIndex(d.mediaType())) {
            JsonNode index = readJson(d, what);
            Map<String, Descriptor> children = new LinkedHashMap<>();
            JsonNode manifests = index.get("manifests");
            if (manifests == null || !manifests.isArray()) {
                throw JctrException.invalidArgument("%s: index %s has no manifests array", what, d.digest());
            }
            int i = 0;
            for (JsonNode m : manifests) {
                Descriptor c = Descriptor.parse(m, "index " + d.digest() + ": manifests[" + i++ + "]");
                if (c.platform().isEmpty() || platforms.test(c.platform().get())) {
                    children.put("m." + children.size(), c);
                }
            }
            if (children.isEmpty()) {
                throw JctrException.notFound("%s: index %s has no manifest for %s", what, d.digest(), platforms);
            }
            out.put(d.digest(), new Node(d, children));
            for (Descriptor c : children.values()) {
                visit(c, platforms, what, out, depth + 1);
            }
        } else if (MediaTypes.isManifest(d.mediaType())) {
            JsonNode manifest = readJson(d, what);
            Map<String, Descriptor> children = new LinkedHashMap<>();
            children.put("config", Descriptor.parse(manifest.get("config"), "manifest " + d.digest() + ": config"));
            JsonNode layers = manifest.get("layers");
            if (layers == null || !layers.isArray()) {
                throw JctrException.invalidArgument("%s: manifest %s has no layers array", what, d.digest());
            }
            int i = 0;
            for (JsonNode l : layers) {
                children.put("l." + i, Descriptor.parse(l, "manifest " + d.digest() + ": layers[" + i + "]"));
                i++;
            }
            out.put(d.digest(), new Node(d, children));
            for (Descriptor c : children.values()) {
                if (!out.containsKey(c.digest())) {
                    present(c, what);
                    out.put(c.digest(), new Node(c, Map.of()));
                }
            }
        } else {
            throw JctrException.invalidArgument("%s: unsupported media type \"%s\" of %s (want an OCI or Docker index or manifest)",
                    what, d.mediaType(), d.digest());
        }
    }

    private void present(Descriptor d, String what) {
        ContentRecord r;
        try {
            r = content.info(ns, d.digest());
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                throw JctrException.notFound("%s: blob %s (%s) is missing", what, d.digest(), d.mediaType());
            }
            throw e;
        }
        if (r.size() != d.size()) {
            throw JctrException.invalidArgument("%s: blob %s has %d bytes, its descriptor says %d", what, d.digest(), r.size(), d.size());
        }
    }

    /** The JSON document in blob {@code d}, at most {@link #MAX_JSON} bytes. */
    JsonNode readJson(Descriptor d, String what) throws IOException {
        return parse(read(d.digest(), what), "blob " + d.digest(), what);
    }

    byte[] read(String digest, String what) throws IOException {
        try (ContentReader r = content.reader(ns, digest)) {
            if (r.size() > MAX_JSON) {
                throw JctrException.invalidArgument("%s: blob %s has %d bytes, more than the %d allowed for JSON", what, digest,
                        r.size(), MAX_JSON);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) r.size());
            while (buf.hasRemaining()) {
                if (r.read(buf, buf.position()) < 0) {
                    throw new IOException("blob " + digest + " ended early");
                }
            }
            return buf.array();
        }
    }

    static JsonNode parse(byte[] json, String source, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isContainerNode()) {
                throw JctrException.invalidArgument("%s: %s is not a JSON object or array", what, source);
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw JctrException.invalidArgument("%s: %s is not valid JSON: %s%s", what, source, e.getOriginalMessage(),
                    at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException e) {
            throw JctrException.invalidArgument("%s: %s is not valid JSON: %s", what, source, e.getMessage());
        }
    }
}
