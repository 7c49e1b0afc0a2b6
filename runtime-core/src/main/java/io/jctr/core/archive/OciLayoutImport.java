package io.jctr.core.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.jctr.spi.JctrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout archive: images are index.json's descriptors, named by their
 * {@code io.containerd.image.name} annotation, else by {@code org.opencontainers.image.ref.name}
 * (a tag alone goes into the base name's repository), as ctr's import names them.
 */
final class OciLayoutImport {

    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";

    private OciLayoutImport() {
    }

    static ImportPlan plan(ScannedArchive a, ImportSession s, ImportOptions o) throws IOException {
        String where = "archive " + a.file;
        byte[] layout = a.metadata("oci-layout")
                .orElseThrow(() -> JctrException.invalidArgument("%s: index.json but no oci-layout file", where));
        JsonNode version = ImageGraph.parse(layout, "oci-layout", where).get("imageLayoutVersion");
        if (version == null || !version.isTextual()) {
            throw JctrException.invalidArgument("%s: oci-layout has no imageLayoutVersion", where);
        }
        byte[] indexBytes = a.metadata("index.json").orElseThrow();
        JsonNode index = ImageGraph.parse(indexBytes, "index.json", where);
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw JctrException.invalidArgument("%s: index.json has no manifests array", where);
        }
        List<Descriptor> roots = new ArrayList<>();
        List<ImportedImage> images = new ArrayList<>();
        int i = 0;
        for (JsonNode m : manifests) {
            String at = "index.json: manifests[" + i++ + "]";
            Descriptor d = Descriptor.parse(m, where + ": " + at);
            List<String> names = new ArrayList<>();
            String name = name(d.annotations(), o.baseName());
            if (!name.isEmpty()) {
                names.add(normalize(name, where + ": " + at));
            }
            if (o.digests()) {
                names.add(normalize(base(o.baseName()) + "@" + d.digest(), where + ": " + at));
            }
            if (!names.isEmpty()) {
                roots.add(d);
                names.forEach(n -> images.add(new ImportedImage(n, d.target())));
            }
        }
        if (!o.indexName().isEmpty()) {
            StoredBlob stored = s.sink.store("index.json", new ByteArrayInputStream(indexBytes), indexBytes.length, "");
            Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, stored.digest(), stored.size());
            roots.add(d);
            images.add(new ImportedImage(normalize(o.indexName(), "--index-name"), d.target()));
        }
        return new ImportPlan("oci", roots, images);
    }

    /** ctr's rule: the containerd annotation as it is; a ref.name tag in the base repository; a full ref.name under the base. */
    static String name(Map<String, String> annotations, String baseName) {
        String n = annotations.getOrDefault(CONTAINERD_NAME, "");
        if (!n.isEmpty()) {
            return n;
        }
        String ref = annotations.getOrDefault(OCI_REF_NAME, "");
        if (ref.isEmpty()) {
            return "";
        }
        if (ref.contains("/") || ref.contains(":") || ref.contains("@")) {
            return baseName.isEmpty() || ref.startsWith(baseName) ? ref : "";
        }
        return base(baseName) + ":" + ref;
    }

    static String base(String baseName) {
        return baseName.isEmpty() ? "import-" + LocalDate.now() : baseName;
    }

    static String normalize(String name, String where) {
        try {
            return ImageNames.normalize(name);
        } catch (JctrException e) {
            throw JctrException.invalidArgument("%s: invalid image name \"%s\"", where, name);
        }
    }
}
