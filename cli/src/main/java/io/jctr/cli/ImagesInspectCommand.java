package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.content.v1.InfoRequest;
import io.jctr.api.services.content.v1.ReadContentRequest;
import io.jctr.api.services.images.v1.GetImageRequest;
import io.jctr.api.services.images.v1.Image;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr images inspect REF}: the image record, and from the content store its index (which
 * platforms, which are present), the manifest of the daemon's platform (config and layers) and
 * the config's run settings.
 */
@Command(name = "inspect", description = "Show an image: record, manifests, layers, config")
class ImagesInspectCommand implements Runnable {

    private static final String INDEX_OCI = "application/vnd.oci.image.index.v1+json";
    private static final String INDEX_DOCKER = "application/vnd.docker.distribution.manifest.list.v2+json";

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(index = "0", paramLabel = "REF")
    String ref;

    /** The image named {@code name}, or else named as the normalised reference (busybox → docker.io/library/busybox:latest). */
    static Image find(ApiClient api, String name) {
        try {
            return ImagesCommand.stub(api).get(GetImageRequest.newBuilder().setName(name).build()).getImage();
        } catch (StatusRuntimeException e) {
            String normal = RegistryCredentials.normalize(name);
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND || normal.equals(name)) {
                throw e;
            }
            return ImagesCommand.stub(api).get(GetImageRequest.newBuilder().setName(normal).build()).getImage();
        }
    }

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            Image image = find(api, ref);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", image.getName());
            doc.put("target", descriptor(image.getTarget().getMediaType(), image.getTarget().getDigest(), image.getTarget().getSize()));
            doc.put("created_at", Formats.time(image.getCreatedAt()));
            doc.put("updated_at", Formats.time(image.getUpdatedAt()));
            doc.put("labels", image.getLabelsMap());
            String manifestDigest = image.getTarget().getDigest();
            String mediaType = image.getTarget().getMediaType();
            if (mediaType.equals(INDEX_OCI) || mediaType.equals(INDEX_DOCKER)) {
                List<Object> manifests = new ArrayList<>();
                String chosen = null;
                String fallback = null;
                String host = hostPlatform();
                for (Object o : JsonReader.array(JsonReader.object(read(api, manifestDigest)).get("manifests"))) {
                    Map<String, Object> m = JsonReader.object(o);
                    Map<String, Object> p = JsonReader.object(m.get("platform"));
                    String platform = JsonReader.string(p.get("os")) + "/" + JsonReader.string(p.get("architecture"))
                            + (JsonReader.string(p.get("variant")).isEmpty() ? "" : "/" + JsonReader.string(p.get("variant")));
                    String digest = JsonReader.string(m.get("digest"));
                    boolean present = present(api, digest);
                    Map<String, Object> row = descriptor(JsonReader.string(m.get("mediaType")), digest, number(m.get("size")));
                    row.put("platform", platform);
                    row.put("present", present);
                    manifests.add(row);
                    if (present && chosen == null && (platform + "/").startsWith(host + "/")) {
                        chosen = digest;
                    }
                    if (present && fallback == null) {
                        fallback = digest;
                    }
                }
                doc.put("manifests", manifests);
                chosen = chosen == null ? fallback : chosen;
                if (chosen == null) {
                    print(doc);
                    return;
                }
                manifestDigest = chosen;
            }
            Map<String, Object> manifest = JsonReader.object(read(api, manifestDigest));
            Map<String, Object> configDesc = JsonReader.object(manifest.get("config"));
            Map<String, Object> config = JsonReader.object(read(api, JsonReader.string(configDesc.get("digest"))));
            Map<String, Object> runConfig = JsonReader.object(config.get("config"));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("digest", JsonReader.string(configDesc.get("digest")));
            c.put("platform", JsonReader.string(config.get("os")) + "/" + JsonReader.string(config.get("architecture")));
            c.put("created", JsonReader.string(config.get("created")));
            c.put("entrypoint", runConfig.get("Entrypoint"));
            c.put("cmd", runConfig.get("Cmd"));
            c.put("env", runConfig.get("Env"));
            c.put("working_dir", JsonReader.string(runConfig.get("WorkingDir")));
            c.put("user", JsonReader.string(runConfig.get("User")));
            doc.put("manifest", manifestDigest);
            doc.put("config", c);
            List<Object> layers = new ArrayList<>();
            long total = number(configDesc.get("size"));
            for (Object o : JsonReader.array(manifest.get("layers"))) {
                Map<String, Object> l = JsonReader.object(o);
                layers.add(descriptor(JsonReader.string(l.get("mediaType")), JsonReader.string(l.get("digest")), number(l.get("size"))));
                total += number(l.get("size"));
            }
            doc.put("layers", layers);
            doc.put("size", total);
            print(doc);
        }
    }

    private void print(Map<String, Object> doc) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(JsonWriter.write(doc));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) doc.get("target");
            out.println("Name:      " + doc.get("name"));
            out.println("Target:    " + target.get("digest") + " (" + target.get("media_type") + ", " + Formats.size((Long) target.get("size")) + ")");
            out.println("Created:   " + doc.get("created_at"));
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) doc.get("labels");
            out.println("Labels:    " + Labels.format(labels));
            for (Object o : JsonReader.array(doc.get("manifests"))) {
                Map<String, Object> m = JsonReader.object(o);
                out.printf(Locale.ROOT, "Manifest:  %-16s %s%s%n", m.get("platform"), m.get("digest"), Boolean.TRUE.equals(m.get("present")) ? "" : " (not pulled)");
            }
            if (doc.containsKey("config")) {
                Map<String, Object> c = JsonReader.object(doc.get("config"));
                out.println("Platform:  " + c.get("platform"));
                out.println("Config:    " + c.get("digest"));
                for (Object o : JsonReader.array(doc.get("layers"))) {
                    Map<String, Object> l = JsonReader.object(o);
                    out.printf(Locale.ROOT, "Layer:     %s %10s  %s%n", l.get("digest"), Formats.size((Long) l.get("size")), l.get("media_type"));
                }
                out.println("Size:      " + Formats.size((Long) doc.get("size")));
                out.println("Entrypoint: " + render(c.get("entrypoint")));
                out.println("Cmd:       " + render(c.get("cmd")));
                out.println("Env:       " + render(c.get("env")));
                out.println("WorkDir:   " + c.get("working_dir"));
            }
        }
        out.flush();
    }

    private static String render(Object v) {
        return v == null ? "" : v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("media_type", mediaType);
        m.put("digest", digest);
        m.put("size", size);
        return m;
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static boolean present(ApiClient api, String digest) {
        try {
            ContentCommand.stub(api).info(InfoRequest.newBuilder().setDigest(digest).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static Object read(ApiClient api, String digest) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        ContentCommand.stub(api).read(ReadContentRequest.newBuilder().setDigest(digest).build())
                .forEachRemaining(r -> buf.writeBytes(r.getData().toByteArray()));
        try {
            return JsonReader.parse(buf.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new CliException("blob " + digest + ": " + e.getMessage());
        }
    }

    private static String hostPlatform() {
        String arch = System.getProperty("os.arch");
        return "linux/" + switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
