package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Image archives: import of OCI image layouts and docker archives, import of root filesystem
 * tarballs, export in both formats. Paths are absolute paths on the daemon's host. Thread-safe:
 * each call works on its own lease, ingests and temporary file.
 */
public final class ArchiveService {

    private final ArchiveImporter importer;
    private final RootfsImporter rootfs;
    private final ArchiveExporter exporter;

    /**
     * @param collectGarbage runs a collection and returns when it is done (after a failed import)
     * @param unpacker       the unpacker for imports that ask for one, looked up at call time
     */
    public ArchiveService(ContentService content, ImageService images, LeaseService leases, Runnable collectGarbage,
                          Supplier<Optional<ImportUnpacker>> unpacker) {
        ArchiveServices s = new ArchiveServices(content, images, leases, collectGarbage, unpacker);
        this.importer = new ArchiveImporter(s);
        this.rootfs = new RootfsImporter(s);
        this.exporter = new ArchiveExporter(s);
    }

    /** @param lease the caller's lease, or empty for one of the import's own */
    ImportResult importArchive(String ns, String lease, ImportOptions options) throws IOException {
        return importer.importArchive(ns, lease, options);
    }

    ImportResult importRootfs(String ns, String lease, String file, String name, String platform, boolean unpack,
                              String snapshotter) throws IOException {
        return rootfs.importRootfs(ns, lease, file, name, platform, unpack, snapshotter);
    }

    /** @return the size of the archive written */
    long export(String ns, ExportOptions options) throws IOException {
        return exporter.export(ns, options);
    }
}
