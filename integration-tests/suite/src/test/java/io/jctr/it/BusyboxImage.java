package io.jctr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A busybox image built from Debian's busybox-static: one gzip layer with /bin/busybox and its
 * applet links, as an OCI image layout directory (tag {@code latest}) that skopeo can push.
 */
final class BusyboxImage {

    private BusyboxImage() {
    }

    static Path layout(Path work) throws IOException {
        return layout(work, 0);
    }

    /** With {@code ballastBytes > 0} the layer also carries /ballast of that many random bytes. */
    static Path layout(Path work, int ballastBytes) throws IOException {
        Path rootfs = Files.createDirectories(work.resolve("busybox-rootfs/bin"));
        if (ballastBytes > 0) {
            byte[] random = new byte[ballastBytes];
            new java.util.Random(42).nextBytes(random);
            Files.write(work.resolve("busybox-rootfs/ballast"), random);
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "ls", "cat", "echo", "true", "false", "sleep")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(work.resolve("busybox-rootfs/etc"));
        Files.writeString(work.resolve("busybox-rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(work.resolve("busybox-rootfs/etc/group"), "root:x:0:\n");
        Path tar = work.resolve("busybox-layer.tar");
        Commands.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf", tar.toString(),
                "-C", work.resolve("busybox-rootfs").toString(), ".")).ok();
        byte[] plain = Files.readAllBytes(tar);
        Path gz = work.resolve("busybox-layer.tar.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(plain);
        }
        byte[] layer = Files.readAllBytes(gz);
        Path layout = work.resolve("busybox-oci");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        String layerDigest = put(blobs, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + OciArchive.sha256(plain) + "\"]}}").getBytes();
        String configDigest = put(blobs, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes();
        String manifestDigest = put(blobs, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
        return layout;
    }

    private static String put(Path blobs, byte[] data) throws IOException {
        String digest = OciArchive.sha256(data);
        Files.write(blobs.resolve(digest.substring(7)), data);
        return digest;
    }
}
