package io.jctr.core.unpack;

import io.jctr.core.concurrent.Futures;
import io.jctr.core.diff.AppliedLayer;
import io.jctr.core.diff.ApplyOptions;
import io.jctr.core.diff.ParentsNeededException;
import io.jctr.core.registry.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One image's layers unpacked side by side into a snapshotter that rebases: each layer is applied
 * into its own snapshot prepared without a parent, as soon as its bytes arrive and a slot is free,
 * and the snapshots are committed strictly in chain order, each onto the one below
 * ({@link io.jctr.spi.snapshots.Snapshotter#commit(String, String, String, java.util.Map)}). What
 * a layer applied alone cannot know of its parents is settled once they are committed
 * ({@link io.jctr.core.diff.DiffService#adoptParents}); a layer that needs them after all (a hard
 * link into them, a path through their symlink) is applied again on a view of them, as the
 * sequential unpack does.
 *
 * <p>Safety is that of the sequential unpack: a layer is committed only after its blob's digest
 * and its diff id checked out and every layer below it was committed; a failed layer commits
 * nothing above it, and every snapshot not committed is removed before {@link #run} returns.
 *
 * <p>Slots bound the applies running at once (CPU, and memory: each holds a few MiB of buffers).
 * They are taken in layer order by the calling thread and held only while a layer's bytes are
 * applied, which waits for nothing but the layer's own download, so unpacks never deadlock on
 * them, not even across pulls.
 */
final class SideBySideUnpack {

    private static final Logger LOG = Logger.getLogger(SideBySideUnpack.class.getName());

    private final LayerSteps steps;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final List<Descriptor> layers;
    private final List<String> diffIds;
    private final List<String> chain;
    private final LayerGate gate;
    private final UnpackListener listener;
    /** Per layer: completes once its snapshot exists (true), or exceptionally when it never will. */
    private final List<CompletableFuture<Boolean>> committed = new ArrayList<>();

    SideBySideUnpack(LayerSteps steps, ExecutorService workers, Semaphore slots, List<Descriptor> layers, List<String> diffIds,
                     List<String> chain, LayerGate gate, UnpackListener listener) {
        this.steps = steps;
        this.workers = workers;
        this.slots = slots;
        this.layers = layers;
        this.diffIds = diffIds;
        this.chain = chain;
        this.gate = gate;
        this.listener = listener;
        layers.forEach(l -> committed.add(new CompletableFuture<>()));
    }

    /** Unpacks every layer; returns when all are committed or, on failure, when all tasks ended. */
    void run() throws IOException, InterruptedException {
        List<Future<?>> tasks = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(layers.size());
        try {
            for (int i = 0; i < layers.size(); i++) {
                int index = i;
                boolean exists = steps.existing(chain.get(i));
                if (!exists) {
                    slots.acquire();
                }
                tasks.add(workers.submit(() -> {
                    try {
                        if (exists) {
                            skip(index);
                        } else {
                            unpack(index);
                        }
                    } finally {
                        ended.countDown();
                    }
                    return null;
                }));
            }
        } catch (InterruptedException e) {
            cancel(tasks, ended, layers.size() - tasks.size());
            throw e;
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            cancel(tasks, ended, 0);
            throw e;
        }
        rethrowFirstFailure(tasks);
    }

    /** Stops the tasks (their layers' reads and waits are interrupted) and waits until every one cleaned up. */
    private void cancel(List<Future<?>> tasks, CountDownLatch ended, int neverStarted) {
        committed.forEach(c -> c.completeExceptionally(new InterruptedIOException("unpack cancelled")));
        tasks.forEach(t -> t.cancel(true));
        for (int i = 0; i < neverStarted; i++) {
            ended.countDown();
        }
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure of the lowest failed layer: a layer above it fails only because it did. */
    private void rethrowFirstFailure(List<Future<?>> tasks) throws IOException, InterruptedException {
        for (Future<?> t : tasks) {
            Futures.await(t);
        }
    }

    private void skip(int i) throws IOException, InterruptedException {
        try {
            steps.skip(chain.get(i), gate, i, listener, layers.get(i));
            committed.get(i).complete(true);
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            committed.get(i).completeExceptionally(e);
            throw e;
        }
    }

    private void unpack(int i) throws IOException, InterruptedException {
        Descriptor layer = layers.get(i);
        String parent = i == 0 ? "" : chain.get(i - 1);
        LayerSteps.Prepared prepared = null;
        boolean released = false;
        try {
            LayerSteps.Source source = steps.source(gate, i);
            listener.unpacking(layer.digest());
            prepared = steps.prepare(chain.get(i), "", source);
            AppliedLayer applied = null;
            try {
                ApplyOptions options = i == 0 ? ApplyOptions.defaults() : ApplyOptions.defaults().forTargetWithoutParents();
                applied = steps.apply(prepared, layer, source, options);
            } catch (ParentsNeededException e) {
                LOG.log(Level.FINE, "layer " + layer.digest() + " is applied on its parents: " + e.getMessage());
            }
            slots.release();
            released = true;
            if (applied != null) {
                steps.verify(layer, applied, diffIds.get(i), source);
                if (i > 0 && !committed.get(i - 1).isDone()) {
                    // Waiting for the layers below anyway: write this one back now rather than in
                    // the commit's sync, which every layer above waits for.
                    steps.writeBack(prepared);
                }
            }
            awaitParent(i);
            boolean stacked = applied != null && (parent.isEmpty() || steps.adoptParents(prepared, parent, applied));
            if (stacked) {
                steps.commit(prepared, chain.get(i), parent);
            } else {
                // As the sequential unpack does it: on a view of the committed parents, from the stored blob.
                LayerSteps.Prepared unusable = prepared;
                prepared = null;
                steps.discard(unusable);
                source.awaitBlob();
                steps.applyOnParent(layer, diffIds.get(i), chain.get(i), parent, new LayerSteps.Source(null, i, gate));
            }
            prepared = null;
            steps.unpacked(layer, diffIds.get(i), listener);
            committed.get(i).complete(true);
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            committed.get(i).completeExceptionally(e);
            throw e;
        } finally {
            if (!released) {
                slots.release();
            }
            if (prepared != null) {
                steps.discard(prepared);
            }
        }
    }

    private void awaitParent(int i) throws IOException, InterruptedException {
        if (i == 0) {
            return;
        }
        try {
            committed.get(i - 1).get();
        } catch (ExecutionException e) {
            throw new IOException("layer " + layers.get(i).digest() + " not unpacked: the layer below it failed", e.getCause());
        }
    }
}
