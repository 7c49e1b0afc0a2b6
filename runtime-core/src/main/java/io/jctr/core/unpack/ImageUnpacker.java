package io.jctr.core.unpack;

import io.jctr.core.content.ContentService;
import io.jctr.core.diff.DiffService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.ManifestParser;
import io.jctr.core.registry.MediaTypes;
import io.jctr.core.registry.Platforms;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Unpacks an image's layers into a snapshotter, leaving what {@code ctr images pull} leaves:
 * one committed snapshot per layer named by its chain id (prepared under a temporary
 * {@code extract-<n>-<rand> <chainid>} key, applied with the diff service, committed), layers
 * whose chain already exists skipped (images share them), {@code containerd.io/uncompressed} on
 * each applied layer blob and {@code containerd.io/gc.ref.snapshot.<snapshotter>} on the config.
 * Everything goes through the in-process services; the caller's lease protects what is created.
 *
 * <p>Thread-safe; two unpacks of the same chain race benignly (the loser's commit finds the
 * snapshot committed and drops its own).
 */
public final class ImageUnpacker {

    /** The label on a layer blob naming its uncompressed digest. */
    public static final String UNCOMPRESSED = "containerd.io/uncompressed";
    /** The config label that keeps an image's top snapshot of a snapshotter alive. */
    public static final String GC_REF_SNAPSHOT = "containerd.io/gc.ref.snapshot.";
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final ContentService content;
    private final SnapshotService snapshots;
    private final DiffService diff;
    private final ImageService images;
    private final LeaseService leases;
    private final ExecutorService workers;
    private final int maxConcurrentUnpacks;
    /** Shared by all unpacks, so concurrent pulls together stay within the bound. */
    private final Semaphore slots;

    /**
     * @param workers              runs the layers applied side by side (needs as many threads as layers)
     * @param maxConcurrentUnpacks how many layers may be applied at once, over all unpacks
     */
    public ImageUnpacker(ContentService content, SnapshotService snapshots, DiffService diff, ImageService images, LeaseService leases,
                         ExecutorService workers, int maxConcurrentUnpacks) {
        this.content = content;
        this.snapshots = snapshots;
        this.diff = diff;
        this.images = images;
        this.leases = leases;
        this.workers = workers;
        this.maxConcurrentUnpacks = Math.max(1, maxConcurrentUnpacks);
        this.slots = new Semaphore(this.maxConcurrentUnpacks);
    }

    /**
     * Unpacks image {@code imageName} of namespace {@code ns} for {@code platform} (for an index:
     * the best-matching manifest present in the content store) into {@code snapshotter}.
     *
     * @param lease the lease to add new snapshots to, or empty
     * @return the chain id of the top layer
     * @throws JctrException NOT_FOUND for an unknown image or missing content; INVALID_ARGUMENT
     *                       for an unknown snapshotter or malformed manifests
     */
    public String unpackImage(String ns, String lease, String imageName, String snapshotter, Platform platform,
                              UnpackListener listener) throws IOException, InterruptedException {
        ImageRecord image = images.get(ns, imageName);
        Descriptor manifest = manifestFor(ns, new Descriptor(image.target().mediaType(), image.target().digest(), image.target().size()),
                platform);
        ManifestParser.Manifest m = ManifestParser.manifest(read(ns, manifest.digest()), "manifest " + manifest.digest());
        return unpackLayers(ns, lease, snapshotter, m.config().digest(), m.layers(), LayerGate.PRESENT, listener);
    }

    /** The manifest of {@code target} for {@code platform}: the target itself, or the best match of an index. */
    public Descriptor manifestFor(String ns, Descriptor target, Platform platform) throws IOException {
        if (MediaTypes.isManifest(target.mediaType())) {
            return target;
        }
        if (!MediaTypes.isIndex(target.mediaType())) {
            throw JctrException.invalidArgument("cannot unpack %s: unsupported media type %s", target.digest(), target.mediaType());
        }
        Descriptor best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Descriptor d : ManifestParser.index(read(ns, target.digest()), "index " + target.digest())) {
            int rank = d.platform() == null ? -1 : Platforms.rank(platform, d.platform());
            if (rank >= 0 && rank < bestRank && present(ns, d.digest())) {
                best = d;
                bestRank = rank;
            }
        }
        if (best == null) {
            throw JctrException.notFound("no manifest for platform %s in index %s", platform, target.digest());
        }
        return manifestFor(ns, best, platform);
    }

    /**
     * Unpacks {@code layers}, waiting on {@code gate} for each blob: the pipelined form a pull uses
     * while layers still download. Into a snapshotter that rebases, the layers are applied side by
     * side ({@link SideBySideUnpack}); otherwise one after the other, each on the one below. Either
     * way a layer is committed only after its blob and diff id checked out and the layers below it
     * were committed. The config must be in the content store.
     *
     * @return the chain id of the top layer
     */
    public String unpackLayers(String ns, String lease, String snapshotter, String configDigest, List<Descriptor> layers,
                               LayerGate gate, UnpackListener listener) throws IOException, InterruptedException {
        List<String> diffIds = ManifestParser.diffIds(read(ns, configDigest), "config " + configDigest);
        if (diffIds.size() != layers.size()) {
            throw JctrException.invalidArgument("config %s lists %d diff ids for %d layers", configDigest, diffIds.size(), layers.size());
        }
        List<String> chain = ChainIds.of(diffIds);
        LayerSteps steps = new LayerSteps(content, snapshots, diff, leases, ns, lease, snapshotter);
        if (layers.size() > 1 && steps.canRebase()) {
            new SideBySideUnpack(steps, workers, slots, layers, diffIds, chain, gate, listener).run();
        } else {
            unpackInOrder(steps, layers, diffIds, chain, gate, listener);
        }
        if (!chain.isEmpty()) {
            String key = GC_REF_SNAPSHOT + snapshotter;
            content.update(ns, configDigest, Map.of(key, chain.get(chain.size() - 1)), List.of("labels." + key));
        }
        return chain.isEmpty() ? "" : chain.get(chain.size() - 1);
    }

    /**
     * How many layers of one image {@link #unpackLayers} applies at once into {@code snapshotter}
     * (at most): a pull lets that many follow their downloads.
     */
    public int layersAtOnce(String snapshotter) {
        return snapshots.canRebase(snapshotter) ? maxConcurrentUnpacks : 1;
    }

    private void unpackInOrder(LayerSteps steps, List<Descriptor> layers, List<String> diffIds, List<String> chain, LayerGate gate,
                               UnpackListener listener) throws IOException, InterruptedException {
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            if (steps.existing(chain.get(i))) {
                steps.skip(chain.get(i), gate, i, listener, layer);
                continue;
            }
            LayerSteps.Source source = steps.source(gate, i);
            listener.unpacking(layer.digest());
            steps.applyOnParent(layer, diffIds.get(i), chain.get(i), i == 0 ? "" : chain.get(i - 1), source);
            steps.unpacked(layer, diffIds.get(i), listener);
        }
    }

    private boolean present(String ns, String digest) {
        try {
            content.info(ns, digest);
            return true;
        } catch (JctrException e) {
            return false;
        }
    }

    /** A small blob (manifest, index, config) of the namespace. */
    public byte[] read(String ns, String digest) throws IOException {
        try (ContentReader r = content.reader(ns, digest)) {
            long size = r.size();
            if (size > MAX_CONFIG_BYTES) {
                throw JctrException.failedPrecondition("blob %s is %d bytes: too large to be a manifest or config", digest, size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (r.read(buf, buf.position()) <= 0) {
                    throw new IOException("unexpected end of blob " + digest);
                }
            }
            return buf.array();
        }
    }
}
