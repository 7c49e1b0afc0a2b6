package io.jctr.core.unpack;

import io.jctr.core.content.ContentService;
import io.jctr.core.diff.AppliedLayer;
import io.jctr.core.diff.DiffService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseResource;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.ManifestParser;
import io.jctr.core.registry.MediaTypes;
import io.jctr.core.registry.Platforms;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(ImageUnpacker.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final ContentService content;
    private final SnapshotService snapshots;
    private final DiffService diff;
    private final ImageService images;
    private final LeaseService leases;

    public ImageUnpacker(ContentService content, SnapshotService snapshots, DiffService diff, ImageService images, LeaseService leases) {
        this.content = content;
        this.snapshots = snapshots;
        this.diff = diff;
        this.images = images;
        this.leases = leases;
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
     * Unpacks {@code layers} in order, waiting on {@code gate} for each blob: the pipelined form
     * a pull uses while later layers still download. The config must be in the content store.
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
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            if (exists(ns, snapshotter, chain.get(i))) {
                if (!lease.isEmpty()) { // an image deleted meanwhile must not free what this unpack builds on
                    leases.addResource(ns, lease, LeaseResource.snapshot(snapshotter, chain.get(i)));
                }
                gate.skipped(i);
                gate.await(i);
                listener.unpacked(layer.digest(), false);
                continue;
            }
            InputStream live = gate.stream(i);
            if (live == null) {
                gate.await(i);
            }
            listener.unpacking(layer.digest());
            int index = i;
            applyLayer(ns, lease, snapshotter, layer, diffIds.get(i), chain.get(i), i == 0 ? "" : chain.get(i - 1), live,
                    () -> gate.await(index));
            content.update(ns, layer.digest(), Map.of(UNCOMPRESSED, diffIds.get(i)), List.of("labels." + UNCOMPRESSED));
            listener.unpacked(layer.digest(), true);
        }
        if (!chain.isEmpty()) {
            String key = GC_REF_SNAPSHOT + snapshotter;
            content.update(ns, configDigest, Map.of(key, chain.get(chain.size() - 1)), List.of("labels." + key));
        }
        return chain.isEmpty() ? "" : chain.get(chain.size() - 1);
    }

    /** Waits for the layer's blob to be committed (verified). */
    private interface Committed {
        void await() throws IOException, InterruptedException;
    }

    private void applyLayer(String ns, String lease, String snapshotter, Descriptor layer, String diffId, String chainId,
                            String parent, InputStream live, Committed blob) throws IOException, InterruptedException {
        String key = "extract-" + System.nanoTime() + "-" + randomSuffix() + " " + chainId;
        List<Mount> mounts;
        try {
            mounts = snapshots.prepare(ns, lease, snapshotter, key, parent, Map.of());
        } catch (IOException | RuntimeException e) {
            if (live != null) {
                live.close();
            }
            throw e;
        }
        boolean committed = false;
        try {
            AppliedLayer applied;
            try {
                applied = live == null
                        ? diff.apply(ns, layer.mediaType(), layer.digest(), mounts)
                        : diff.apply(layer.mediaType(), layer.digest(), mounts, () -> live);
            } catch (IOException | RuntimeException e) {
                if (live != null) {
                    live.close();
                    blob.await(); // a broken or forged download explains a failed apply best: report that
                }
                throw e;
            }
            blob.await(); // a layer applied while downloading is committed only once its digest checked out
            if (!applied.diffId().equals(diffId)) {
                throw JctrException.failedPrecondition("layer %s: uncompressed digest %s does not match the config's diff id %s",
                        layer.digest(), applied.diffId(), diffId);
            }
            try {
                snapshots.commit(ns, lease, snapshotter, chainId, key, Map.of());
                committed = true;
            } catch (JctrException e) {
                if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                    throw e;
                }
                // another unpack of the same chain committed first: its snapshot serves
            }
        } finally {
            if (live != null) {
                live.close();
            }
            if (!committed) {
                try {
                    snapshots.remove(ns, snapshotter, key);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot remove unpack snapshot \"" + key + "\": " + e.getMessage());
                }
            }
        }
    }

    private boolean exists(String ns, String snapshotter, String name) {
        try {
            snapshots.stat(ns, snapshotter, name);
            return true;
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
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

    private static String randomSuffix() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
