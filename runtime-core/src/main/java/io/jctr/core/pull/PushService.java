package io.jctr.core.pull;

import io.jctr.core.content.ContentRecord;
import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.core.registry.Credentials;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.ManifestParser;
import io.jctr.core.registry.MediaTypes;
import io.jctr.core.registry.Reference;
import io.jctr.core.registry.RegistryClient;
import io.jctr.core.unpack.ImageUnpacker;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Pushes a local image to a registry: every blob not already in the target repository (HEAD),
 * mounted from another repository of the same registry when the blob's
 * {@code containerd.io/distribution.source.<host>} label names one, else uploaded (one PUT up to
 * {@link #MONOLITHIC_LIMIT}, PATCH chunks above), then the manifests by digest and the root
 * under the reference's tag, each with its media type as Content-Type. Thread-safe.
 */
public final class PushService {

    static final long MONOLITHIC_LIMIT = 32L << 20;
    static final long CHUNK = 16L << 20;

    private final ContentService content;
    private final ImageService images;
    private final ImageUnpacker reader;
    private final PullService pulls;

    public PushService(ContentService content, ImageService images, ImageUnpacker reader, PullService pulls) {
        this.content = content;
        this.images = images;
        this.reader = reader;
        this.pulls = pulls;
    }

    /** What was pushed: the reference and the root's digest. */
    public record Pushed(String name, String digest) {
    }

    public Pushed push(String ns, String ref, String local, boolean plainHttp, Credentials credentials, TransferStatus status)
            throws IOException, InterruptedException {
        Reference target = Reference.parse(ref);
        ImageRecord image = localImage(ns, local.isEmpty() ? ref : local);
        RegistryClient registry = RegistryClient.open(pulls.http(), pulls.registryConfig(), target, credentials, plainHttp, true);
        Descriptor root = new Descriptor(image.target().mediaType(), image.target().digest(), image.target().size());
        pushTree(ns, registry, root, target.digest().isEmpty() ? target.tag() : target.digest(), status);
        return new Pushed(target.toString(), root.digest());
    }

    private ImageRecord localImage(String ns, String name) {
        try {
            return images.get(ns, name);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e;
            }
            return images.get(ns, Reference.parse(name).toString());
        }
    }

    private void pushTree(String ns, RegistryClient registry, Descriptor d, String object, TransferStatus status)
            throws IOException, InterruptedException {
        byte[] bytes = reader.read(ns, d.digest());
        if (MediaTypes.isIndex(d.mediaType())) {
            List<Descriptor> children = ManifestParser.index(bytes, "index " + d.digest());
            for (Descriptor child : children) {
                if (!present(ns, child.digest())) { // the registry would refuse the index
                    throw JctrException.failedPrecondition("cannot push index %s: its manifest %s%s is not in the content store "
                            + "(pull the image with --all-platforms first)", d.digest(), child.digest(),
                            child.platform() == null ? "" : " (" + child.platform() + ")");
                }
            }
            status.set("index", d.mediaType(), d.digest(), d.size(), TransferStatus.State.WAITING);
            for (Descriptor child : children) {
                pushTree(ns, registry, child, child.digest(), status);
            }
            status.state(d.digest(), TransferStatus.State.UPLOADING);
            registry.putManifest(object, d.mediaType(), bytes);
            status.state(d.digest(), TransferStatus.State.DONE);
            return;
        }
        if (!MediaTypes.isManifest(d.mediaType())) {
            throw JctrException.invalidArgument("cannot push %s: unsupported media type %s", d.digest(), d.mediaType());
        }
        status.set("manifest", d.mediaType(), d.digest(), d.size(), TransferStatus.State.WAITING);
        ManifestParser.Manifest m = ManifestParser.manifest(bytes, "manifest " + d.digest());
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(m.config());
        blobs.addAll(m.layers());
        Semaphore slots = new Semaphore(3);
        List<Future<?>> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < blobs.size(); i++) {
                Descriptor b = blobs.get(i);
                String kind = i == 0 ? "config" : "layer";
                status.set(kind, b.mediaType(), b.digest(), b.size(), TransferStatus.State.WAITING);
                uploads.add(pulls.workers().submit(() -> {
                    slots.acquire();
                    try {
                        uploadBlob(ns, registry, b, status);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : uploads) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            uploads.forEach(f -> f.cancel(true));
        }
        status.state(d.digest(), TransferStatus.State.UPLOADING);
        registry.putManifest(object, d.mediaType(), bytes);
        status.state(d.digest(), TransferStatus.State.DONE);
    }

    private void uploadBlob(String ns, RegistryClient registry, Descriptor b, TransferStatus status) throws IOException {
        ContentRecord record = content.info(ns, b.digest());
        if (registry.hasBlob(b.digest())) {
            status.state(b.digest(), TransferStatus.State.EXISTS);
            return;
        }
        String from = mountSource(record, registry.reference());
        String location = registry.startUpload(b.digest(), from);
        if (location.isEmpty()) {
            status.state(b.digest(), TransferStatus.State.MOUNTED);
            return;
        }
        status.offset(b.digest(), TransferStatus.State.UPLOADING, 0);
        BlobInputStream.Opener open = () -> content.reader(ns, b.digest());
        if (b.size() <= MONOLITHIC_LIMIT) {
            registry.uploadMonolithic(location, b.digest(), b.size(),
                    BlobInputStream.supplier(open, 0, b.size(), o -> status.offset(b.digest(), TransferStatus.State.UPLOADING, o)));
        } else {
            for (long off = 0; off < b.size(); off += CHUNK) {
                long end = Math.min(b.size(), off + CHUNK);
                location = registry.uploadChunk(location, b.digest(), off, end - off,
                        BlobInputStream.supplier(open, off, end, o -> status.offset(b.digest(), TransferStatus.State.UPLOADING, o)));
            }
            registry.finishUpload(location, b.digest());
        }
        status.state(b.digest(), TransferStatus.State.DONE);
    }

    /** Another repository of the target registry the blob came from, per its source label, or empty. */
    static String mountSource(ContentRecord record, Reference target) {
        String sources = record.labels().getOrDefault(BlobFetcher.SOURCE_LABEL + target.sourceLabelHost(), "");
        for (String repo : sources.split(",")) {
            if (!repo.isEmpty() && !repo.equals(target.repository())) {
                return repo;
            }
        }
        return "";
    }

    private boolean present(String ns, String digest) {
        try {
            content.info(ns, digest);
            return true;
        } catch (JctrException e) {
            return false;
        }
    }
}
