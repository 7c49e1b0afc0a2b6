package io.jctr.core.archive;

import io.grpc.stub.StreamObserver;
import io.jctr.api.services.archive.v1.ArchiveFormat;
import io.jctr.api.services.archive.v1.ArchiveGrpc;
import io.jctr.api.services.archive.v1.ExportRequest;
import io.jctr.api.services.archive.v1.ExportResponse;
import io.jctr.api.services.archive.v1.ImportRequest;
import io.jctr.api.services.archive.v1.ImportResponse;
import io.jctr.api.services.archive.v1.ImportRootfsRequest;
import io.jctr.api.types.Descriptor;
import io.jctr.core.grpc.RequestLease;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Unary;
import io.jctr.core.images.ImageRecord;

/** {@code jctr.services.archive.v1.Archive}: translation only, logic in {@link ArchiveService}. */
final class ArchiveGrpcService extends ArchiveGrpc.ArchiveImplBase {

    private final ArchiveService archives;

    ArchiveGrpcService(ArchiveService archives) {
        this.archives = archives;
    }

    @Override
    public void import_(ImportRequest r, StreamObserver<ImportResponse> observer) {
        Unary.respondIo(observer, () -> proto(archives.importArchive(RequestNamespace.current(), RequestLease.current(),
                new ImportOptions(r.getPath(), r.getPlatformsList(), r.getAllPlatforms(), r.getIndexName(), r.getBaseName(),
                        r.getDigests(), r.getUnpack(), r.getSnapshotter()))));
    }

    @Override
    public void importRootfs(ImportRootfsRequest r, StreamObserver<ImportResponse> observer) {
        Unary.respondIo(observer, () -> proto(archives.importRootfs(RequestNamespace.current(), RequestLease.current(),
                r.getPath(), r.getName(), r.getPlatform(), r.getUnpack(), r.getSnapshotter())));
    }

    @Override
    public void export(ExportRequest r, StreamObserver<ExportResponse> observer) {
        Unary.respondIo(observer, () -> ExportResponse.newBuilder().setSize(archives.export(RequestNamespace.current(),
                new ExportOptions(r.getPath(), r.getNamesList(), r.getPlatformsList(), r.getAllPlatforms(),
                        r.getFormat() == ArchiveFormat.DOCKER))).build());
    }

    private static ImportResponse proto(ImportResult result) {
        ImportResponse.Builder b = ImportResponse.newBuilder().setFormat(result.format());
        for (ImportedImage i : result.images()) {
            ImageRecord.Target t = i.target();
            b.addImagesBuilder().setName(i.name()).setTarget(Descriptor.newBuilder().setMediaType(t.mediaType())
                    .setDigest(t.digest()).setSize(t.size()).putAllAnnotations(t.annotations()));
        }
        return b.build();
    }
}
