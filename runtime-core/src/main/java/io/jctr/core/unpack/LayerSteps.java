package io.jctr.core.unpack;

import io.jctr.core.content.ContentService;
import io.jctr.core.diff.AppliedLayer;
import io.jctr.core.diff.ApplyOptions;
import io.jctr.core.diff.DiffService;
import io.jctr.core.diff.ParentsNeededException;
import io.jctr.core.leases.LeaseResource;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The steps of unpacking one layer into one snapshotter for one namespace and lease, as
 * {@code ctr images pull} leaves them: prepared under a temporary {@code extract-<n>-<rand>
 * <chainid>} key, applied with the diff service, checked against the config's diff id, committed as
 * the chain id; {@code containerd.io/uncompressed} on the layer blob. Thread-safe.
 */
final class LayerSteps {

    private static final Logger LOG = Logger.getLogger(LayerSteps.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContentService content;
    private final SnapshotService snapshots;
    private final DiffService diff;
    private final LeaseService leases;
    private final String ns;
    private final String lease;
    private final String snapshotter;

    LayerSteps(ContentService content, SnapshotService snapshots, DiffService diff, LeaseService leases, String ns, String lease,
               String snapshotter) {
        this.content = content;
        this.snapshots = snapshots;
        this.diff = diff;
        this.leases = leases;
        this.ns = ns;
        this.lease = lease;
        this.snapshotter = snapshotter;
    }

    /** Where a layer's bytes come from: its download as it arrives, or (when {@code live} is null) the stored blob. */
    record Source(InputStream live, int index, LayerGate gate) {
        /** Returns once the blob is committed (its digest verified); throws the download's failure. */
        void awaitBlob() throws IOException, InterruptedException {
            gate.await(index);
        }
    }

    /** An active snapshot a layer is applied into. */
    record Prepared(String key, List<Mount> mounts) {
    }

    /** Layer {@code index}'s bytes; when it cannot follow the download, waits until the blob is stored. */
    Source source(LayerGate gate, int index) throws IOException, InterruptedException {
        InputStream live = gate.stream(index);
        if (live == null) {
            gate.await(index);
        }
        return new Source(live, index, gate);
    }

    boolean existing(String name) {
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

    /** An existing snapshot the unpack builds on joins the lease: an image deleted meanwhile must not free it. */
    private void keep(String name) {
        if (!lease.isEmpty()) {
            leases.addResource(ns, lease, LeaseResource.snapshot(snapshotter, name));
        }
    }

    /**
     * Layer {@code i}, whose snapshot {@code chainId} exists already: kept under the lease, its
     * download no longer awaited, reported once the layers below are done.
     */
    void skip(String chainId, LayerGate gate, int i, UnpackListener listener, Descriptor layer)
            throws IOException, InterruptedException {
        keep(chainId);
        gate.skipped(i);
        gate.await(i);
        listener.unpacked(layer.digest(), false);
    }

    /** Layer {@code layer}, committed: its blob labelled with its diff id, and reported. */
    void unpacked(Descriptor layer, String diffId, UnpackListener listener) {
        labelUncompressed(layer, diffId);
        listener.unpacked(layer.digest(), true);
    }

    boolean canRebase() {
        return snapshots.canRebase(snapshotter);
    }

    /** Prepares the snapshot chain id {@code chainId} is applied into, on {@code parent} ("" for none). */
    Prepared prepare(String chainId, String parent, Source source) throws IOException {
        String key = "extract-" + System.nanoTime() + "-" + randomSuffix() + " " + chainId;
        try {
            return new Prepared(key, snapshots.prepare(ns, lease, snapshotter, key, parent, Map.of()));
        } catch (IOException | RuntimeException e) {
            if (source.live() != null) {
                source.live().close();
            }
            throw e;
        }
    }

    /**
     * Applies the layer into {@code into}. Its bytes are read to their end (or the stream is closed
     * on failure); when they came from the download, a failure is reported as the download's own
     * where it failed, which explains a broken or forged layer best.
     */
    AppliedLayer apply(Prepared into, Descriptor layer, Source source, ApplyOptions options) throws IOException, InterruptedException {
        InputStream live = source.live();
        try {
            return live == null
                    ? diff.apply(layer.mediaType(), layer.digest(), into.mounts(), diff.stored(ns, layer.digest()), options)
                    : diff.apply(layer.mediaType(), layer.digest(), into.mounts(), () -> live, options);
        } catch (ParentsNeededException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (live != null) {
                live.close();
                source.awaitBlob();
            }
            throw e;
        } finally {
            if (live != null) {
                live.close();
            }
        }
    }

    /** Waits for the blob to be verified, then checks what was applied against the config's diff id. */
    void verify(Descriptor layer, AppliedLayer applied, String diffId, Source source) throws IOException, InterruptedException {
        source.awaitBlob(); // a layer applied while downloading is committed only once its digest checked out
        if (!applied.diffId().equals(diffId)) {
            throw JctrException.failedPrecondition("layer %s: uncompressed digest %s does not match the config's diff id %s",
                    layer.digest(), applied.diffId(), diffId);
        }
    }

    /**
     * Settles a layer applied without its parents with them (committed {@code parent}); false when
     * it needs them after all and must be applied on them.
     */
    boolean adoptParents(Prepared layer, String parent, AppliedLayer applied) throws IOException {
        if (applied.implicitDirectories().isEmpty()) {
            return true;
        }
        String key = "view-" + System.nanoTime() + "-" + randomSuffix() + " " + parent;
        List<Mount> view = snapshots.view(ns, lease, snapshotter, key, parent, Map.of());
        try {
            diff.adoptParents(layer.mounts(), view, applied);
            return true;
        } catch (ParentsNeededException e) {
            LOG.log(Level.FINE, "layer applied without parents needs them: " + e.getMessage());
            return false;
        } finally {
            discard(new Prepared(key, view));
        }
    }

    /**
     * Commits {@code prepared} as {@code name}; onto {@code onto} when it was prepared without a
     * parent ({@code ""}: it keeps the parent it was prepared on).
     */
    void commit(Prepared prepared, String name, String onto) throws IOException {
        try {
            snapshots.commit(ns, lease, snapshotter, name, prepared.key(), onto, Map.of());
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // another unpack of the same chain committed first: its snapshot serves
            discard(prepared);
        }
    }

    /** See {@link DiffService#writeBack}. */
    void writeBack(Prepared prepared) {
        diff.writeBack(prepared.mounts());
    }

    void discard(Prepared prepared) {
        try {
            snapshots.remove(ns, snapshotter, prepared.key());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot remove unpack snapshot \"" + prepared.key() + "\": " + e.getMessage());
        }
    }

    /** The whole sequential step: prepare on {@code parent}, apply from {@code source}, verify, commit; nothing left on failure. */
    void applyOnParent(Descriptor layer, String diffId, String chainId, String parent, Source source)
            throws IOException, InterruptedException {
        Prepared prepared = prepare(chainId, parent, source);
        boolean done = false;
        try {
            AppliedLayer applied = apply(prepared, layer, source, ApplyOptions.defaults());
            verify(layer, applied, diffId, source);
            commit(prepared, chainId, "");
            done = true;
        } finally {
            if (!done) {
                discard(prepared);
            }
        }
    }

    private void labelUncompressed(Descriptor layer, String diffId) {
        content.update(ns, layer.digest(), Map.of(ImageUnpacker.UNCOMPRESSED, diffId), List.of("labels." + ImageUnpacker.UNCOMPRESSED));
    }

    private static String randomSuffix() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
