package io.jctr.core.pull;

import io.jctr.core.concurrent.Futures;
import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.ManifestParser;
import io.jctr.core.registry.MediaTypes;
import io.jctr.core.registry.Platforms;
import io.jctr.core.registry.Reference;
import io.jctr.core.registry.RegistryClient;
import io.jctr.core.registry.RegistryConfig;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.core.unpack.ImageUnpacker;
import io.jctr.core.unpack.LayerGate;
import io.jctr.core.unpack.UnpackListener;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Server-side pull: resolves a reference at its registry, stores the index/manifests, downloads
 * config and layers concurrently into the content store and unpacks each layer as soon as it
 * and the layers below it are there, then creates or updates the image record. The records it
 * leaves are those {@code ctr images pull} leaves (labels {@code gc.ref.content.*},
 * {@code distribution.source.*}, {@code uncompressed}, {@code gc.ref.snapshot.*}), so either
 * client can follow the other. Everything happens under a lease (24 h expiry, deleted at the
 * end), so garbage collection never takes a pull in progress.
 *
 * <p>Thread-safe: any number of pulls run at once; blobs they share are stored once.
 */
public final class PullService {

    private static final Logger LOG = Logger.getLogger(PullService.class.getName());
    static final String GC_REF_CONTENT = "containerd.io/gc.ref.content.";

    private final ContentService content;
    private final ImageService images;
    private final LeaseService leases;
    private final SnapshotService snapshots;
    private final ImageUnpacker unpacker;
    private final RegistryConfig registryConfig;
    private final HttpClient http;
    private final ExecutorService workers;
    private final int maxConcurrentDownloads;
    private final String defaultSnapshotter;
    private final BlobFetcher fetcher;

    public PullService(ContentService content, ImageService images, LeaseService leases, SnapshotService snapshots,
                       ImageUnpacker unpacker, RegistryConfig registryConfig, ExecutorService workers,
                       int maxConcurrentDownloads, String defaultSnapshotter) {
        this.content = content;
        this.images = images;
        this.leases = leases;
        this.snapshots = snapshots;
        this.unpacker = unpacker;
        this.registryConfig = registryConfig;
        this.http = RegistryClient.httpClient(registryConfig);
        this.workers = workers;
        this.maxConcurrentDownloads = Math.max(1, maxConcurrentDownloads);
        this.defaultSnapshotter = defaultSnapshotter;
        this.fetcher = new BlobFetcher(content, leases);
    }

    ExecutorService workers() {
        return workers;
    }

    RegistryConfig registryConfig() {
        return registryConfig;
    }

    HttpClient http() {
        return http;
    }

    /** Pulls {@code req.ref()}; progress goes to {@code status}. Interrupting the thread cancels it. */
    public PullResult pull(PullRequest req, TransferStatus status) throws IOException, InterruptedException {
        Reference ref = Reference.parse(req.ref());
        String ns = req.namespace();
        String snapshotter = req.snapshotter().isEmpty() ? defaultSnapshotter : req.snapshotter();
        if (req.unpack()) {
            requireSnapshotter(ns, snapshotter);
        }
        String lease = leases.create(ns, "", Map.of("containerd.io/gc.expire",
                Instant.now().plus(24, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString())).id();
        try {
            RegistryClient registry = RegistryClient.open(http, registryConfig, ref, req.credentials(), req.plainHttp(), false);
            return new Pull(ns, lease, ref, registry, req, snapshotter, status).run();
        } finally {
            try {
                leases.delete(ns, lease);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot delete pull lease " + lease + ": " + e.getMessage());
            }
        }
    }

    /** Where pulls (and imports) unpack when the request names no snapshotter. */
    public String defaultSnapshotter() {
        return defaultSnapshotter;
    }

    private void requireSnapshotter(String ns, String snapshotter) {
        try {
            snapshots.stat(ns, snapshotter, "sha256:0"); // fails INVALID_ARGUMENT naming the available ones
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** One pull's state. Not thread-safe itself; downloads run on the workers. */
    private final class Pull {
        final String ns;
        final String lease;
        final Reference ref;
        final RegistryClient registry;
        final PullRequest req;
        final String snapshotter;
        final TransferStatus status;
        final Semaphore slots = new Semaphore(maxConcurrentDownloads);
        final Map<String, Future<Boolean>> downloads = new LinkedHashMap<>();
        /** Layers an unpack will read while they download (the first layers of the first manifest to unpack). */
        final Map<String, LayerTee> tees = new java.util.concurrent.ConcurrentHashMap<>();
        /** Set when the pull ends: downloads still running stop at their next chunk. */
        volatile boolean finished;

        Pull(String ns, String lease, Reference ref, RegistryClient registry, PullRequest req, String snapshotter, TransferStatus status) {
            this.ns = ns;
            this.lease = lease;
            this.ref = ref;
            this.registry = registry;
            this.req = req;
            this.snapshotter = snapshotter;
            this.status = status;
        }

        PullResult run() throws IOException, InterruptedException {
            try {
                RegistryClient.FetchedManifest root = registry.manifest(ref.object());
                List<Descriptor> selected = new ArrayList<>();
                Map<Descriptor, ManifestParser.Manifest> manifests = new LinkedHashMap<>();
                storeTree(root, selected, manifests);
                List<Descriptor> unpacking = req.unpack() ? toUnpack(selected) : List.of();
                for (Map.Entry<Descriptor, ManifestParser.Manifest> m : manifests.entrySet()) {
                    schedule("config", m.getValue().config());
                }
                if (!unpacking.isEmpty()) {
                    // The layers unpacked first follow their downloads; registered before the downloads start.
                    // A download with a tee waits for its reader, so at least one download slot is always
                    // left to layers without one: the unpack of the first layers never waits for a slot
                    // that downloads waiting for later layers' readers hold.
                    List<Descriptor> first = manifests.get(unpacking.get(0)).layers();
                    int following = Math.min(unpacker.layersAtOnce(snapshotter), Math.max(1, maxConcurrentDownloads - 1));
                    first.stream().limit(following).forEach(l -> tees.putIfAbsent(l.digest(), new LayerTee()));
                }
                for (Map.Entry<Descriptor, ManifestParser.Manifest> m : manifests.entrySet()) {
                    m.getValue().layers().forEach(l -> schedule("layer", l));
                }
                for (Descriptor m : unpacking) {
                    unpack(manifests.get(m));
                }
                tees.values().forEach(LayerTee::close); // layers an unpack skipped (their chain existed): nobody reads them
                for (Future<Boolean> f : downloads.values()) {
                    Futures.await(f);
                }
                if (!req.unpack()) {
                    status.snapshot().forEach(b -> {
                        if (b.state() == TransferStatus.State.DOWNLOADED) {
                            status.state(b.digest(), TransferStatus.State.DONE);
                        }
                    });
                }
                Descriptor target = root.descriptor();
                ImageRecord.Target t = new ImageRecord.Target(target.mediaType(), target.digest(), target.size(), Map.of());
                ImageRecord record = new ImageRecord(ref.toString(), Map.of(), t, null, null);
                try {
                    images.create(ns, record);
                } catch (JctrException e) {
                    if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                        throw e;
                    }
                    images.update(ns, record, List.of("target"));
                }
                return new PullResult(ref.toString(), target);
            } finally {
                finished = true;
                tees.values().forEach(LayerTee::close);
                downloads.values().forEach(f -> f.cancel(true));
            }
        }

        /** Stores the root and the manifests the request selects; labels parents with their children. */
        private void storeTree(RegistryClient.FetchedManifest node, List<Descriptor> selected,
                               Map<Descriptor, ManifestParser.Manifest> manifests) throws IOException, InterruptedException {
            Descriptor d = node.descriptor();
            String what = d.digest() + " of " + ref;
            Map<String, String> labels = new LinkedHashMap<>();
            if (MediaTypes.isIndex(d.mediaType())) {
                List<Descriptor> children = choose(ManifestParser.index(node.bytes(), "index " + what), d.digest());
                for (int i = 0; i < children.size(); i++) {
                    labels.put(GC_REF_CONTENT + "m." + i, children.get(i).digest());
                }
                storeSmall("index", d, node.bytes(), labels);
                for (Descriptor child : children) {
                    RegistryClient.FetchedManifest m = registry.manifest(child.digest());
                    Descriptor withPlatform = new Descriptor(m.descriptor().mediaType(), child.digest(), child.size(), child.platform(),
                            child.annotations());
                    storeTree(new RegistryClient.FetchedManifest(withPlatform, m.bytes()), selected, manifests);
                }
                return;
            }
            if (!MediaTypes.isManifest(d.mediaType())) {
                throw JctrException.invalidArgument("%s: unsupported media type %s", what, d.mediaType());
            }
            ManifestParser.Manifest m = ManifestParser.manifest(node.bytes(), "manifest " + what);
            labels.put(GC_REF_CONTENT + "config", m.config().digest());
            for (int i = 0; i < m.layers().size(); i++) {
                labels.put(GC_REF_CONTENT + "l." + i, m.layers().get(i).digest());
            }
            storeSmall("manifest", d, node.bytes(), labels);
            selected.add(d);
            manifests.put(d, m);
        }

        /** The index's manifests for the requested platforms: the best match each, or all. */
        private List<Descriptor> choose(List<Descriptor> children, String index) {
            if (req.allPlatforms()) {
                return children;
            }
            List<Platform> wanted = req.platforms().isEmpty() ? List.of(Platforms.host()) : req.platforms();
            List<Descriptor> out = new ArrayList<>();
            for (Platform p : wanted) {
                Descriptor best = null;
                int bestRank = Integer.MAX_VALUE;
                for (Descriptor c : children) {
                    int rank = c.platform() == null ? -1 : Platforms.rank(p, c.platform());
                    if (rank >= 0 && rank < bestRank) {
                        best = c;
                        bestRank = rank;
                    }
                }
                if (best == null) {
                    throw JctrException.notFound("no match for platform %s in manifest %s of %s", p, index, ref);
                }
                if (!out.contains(best)) {
                    out.add(best);
                }
            }
            return out;
        }

        /** With --all-platforms only the host's manifest is unpacked; otherwise every selected one. */
        private List<Descriptor> toUnpack(List<Descriptor> selected) {
            if (!req.allPlatforms() || selected.size() <= 1) {
                return selected;
            }
            Platform host = Platforms.host();
            return selected.stream().filter(d -> d.platform() != null && Platforms.rank(host, d.platform()) == 0).limit(1).toList();
        }

        private void storeSmall(String kind, Descriptor d, byte[] bytes, Map<String, String> labels) throws IOException, InterruptedException {
            status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.RESOLVING);
            fetcher.storeBytes(ns, lease, registry, kind, d, bytes, labels, status);
        }

        private void schedule(String kind, Descriptor d) {
            if (downloads.containsKey(d.digest())) {
                return;
            }
            status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.WAITING);
            LayerTee tee = kind.equals("layer") ? tees.get(d.digest()) : null;
            downloads.put(d.digest(), workers.submit(() -> {
                slots.acquire();
                try {
                    boolean fetched = fetcher.fetch(ns, lease, registry, kind, d, status, () -> finished, tee);
                    TransferStatus.State now = status.state(d.digest());
                    if (fetched && now != TransferStatus.State.UNPACKING && now != TransferStatus.State.DONE) {
                        status.state(d.digest(), kind.equals("layer") && req.unpack() ? TransferStatus.State.DOWNLOADED
                                : TransferStatus.State.DONE);
                    }
                    return fetched;
                } finally {
                    slots.release();
                }
            }));
        }

        private void unpack(ManifestParser.Manifest m) throws IOException, InterruptedException {
            Futures.await(downloads.get(m.config().digest()));
            List<Descriptor> layers = m.layers();
            LayerGate gate = new LayerGate() {
                @Override
                public void await(int i) throws IOException, InterruptedException {
                    Futures.await(downloads.get(layers.get(i).digest()));
                }

                @Override
                public void skipped(int i) {
                    LayerTee tee = tees.remove(layers.get(i).digest());
                    if (tee != null) {
                        tee.close();
                    }
                }

                @Override
                public InputStream stream(int i) throws InterruptedException {
                    LayerTee tee = tees.remove(layers.get(i).digest()); // one reader per download
                    if (tee == null) {
                        return null;
                    }
                    if (tee.streaming()) {
                        return tee;
                    }
                    tee.close();
                    return null;
                }
            };
            unpacker.unpackLayers(ns, lease, snapshotter, m.config().digest(), layers, gate, new UnpackListener() {
                        @Override
                        public void unpacking(String digest) {
                            status.state(digest, TransferStatus.State.UNPACKING);
                        }

                        @Override
                        public void unpacked(String digest, boolean applied) {
                            if (applied || status.state(digest) != TransferStatus.State.EXISTS) {
                                status.state(digest, TransferStatus.State.DONE);
                            }
                        }
                    });
        }
    }
}
