package io.jctr.core.archive;

import java.util.Set;

/** The OCI and Docker media types an archive import or export deals with. */
final class MediaTypes {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    /** The Docker layer media type for a blob that starts with {@code head}. */
    static String dockerLayer(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return DOCKER_LAYER_GZIP;
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return DOCKER_LAYER_ZSTD;
        }
        return DOCKER_LAYER;
    }
}
