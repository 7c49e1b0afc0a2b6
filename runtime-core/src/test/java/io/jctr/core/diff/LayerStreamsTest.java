package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.core.diff.LayerStreams.Compression;
import io.jctr.spi.JctrException;
import org.junit.jupiter.api.Test;

class LayerStreamsTest {

    @Test
    void mapsMediaTypesToCompression() {
        assertEquals(Compression.DETECT, LayerStreams.compression(null));
        assertEquals(Compression.DETECT, LayerStreams.compression(" "));
        assertEquals(Compression.DETECT, LayerStreams.compression("application/vnd.oci.image.layer.v1.tar"));
        assertEquals(Compression.GZIP, LayerStreams.compression("application/vnd.oci.image.layer.v1.tar+gzip"));
        assertEquals(Compression.ZSTD, LayerStreams.compression("application/vnd.oci.image.layer.v1.tar+zstd"));
        assertEquals(Compression.GZIP, LayerStreams.compression("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"));
        assertEquals(Compression.ZSTD, LayerStreams.compression("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"));
        assertEquals(Compression.DETECT, LayerStreams.compression("application/vnd.oci.image.layer.nondistributable.v1.tar"));
        assertEquals(Compression.GZIP, LayerStreams.compression("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        assertEquals(Compression.GZIP, LayerStreams.compression("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"));
        assertEquals(Compression.DETECT, LayerStreams.compression("application/vnd.docker.image.rootfs.diff.tar"));
        assertEquals(Compression.GZIP, LayerStreams.compression("Application/VND.OCI.image.layer.v1.tar+gzip; x=y"));
    }

    @Test
    void refusesOtherMediaTypesNamingThem() {
        JctrException e = assertThrows(JctrException.class, () -> LayerStreams.compression("application/vnd.oci.image.config.v1+json"));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals("unsupported layer media type \"application/vnd.oci.image.config.v1+json\": invalid argument", e.getMessage());
    }
}
