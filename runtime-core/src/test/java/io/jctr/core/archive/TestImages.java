package io.jctr.core.archive;

import java.nio.charset.StandardCharsets;

/** JSON of configs, manifests and indexes for the archive tests. */
final class TestImages {

    private TestImages() {
    }

    static byte[] config(String arch, String diffId) {
        return ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] manifest(String configDigest, int configSize, String layerDigest, int layerSize) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + configSize + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String descriptor(String mediaType, String digest, int size, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + extra + "}";
    }

    static String indexJson(String... descriptors) {
        return "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", descriptors) + "]}";
    }

    static String named(String containerdName, String refName) {
        return ",\"annotations\":{" + (containerdName == null ? "" : "\"io.containerd.image.name\":\"" + containerdName + "\",")
                + "\"org.opencontainers.image.ref.name\":\"" + refName + "\"}";
    }
}
