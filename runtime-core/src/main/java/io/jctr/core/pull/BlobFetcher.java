package io.jctr.core.pull;

import io.jctr.core.content.ContentService;
import io.jctr.core.content.NamespacedWriter;
import io.jctr.core.leases.LeaseResource;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.registry.Descriptor;
import io.jctr.core.registry.RegistryClient;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Downloads one blob into the content store: under the pull's lease, in ingest
 * {@code <kind>-sha256:<hex>} (the ref ctr uses, so jctr and ctr pulls of the same blob exclude
 * each other), resuming an ingest's data with a range request, verifying size and digest while
 * streaming before anything is committed. A blob already committed is adopted, not fetched; a
 * blob another pull is writing is waited for. Memory: one 1 MiB buffer per download.
 */
final class BlobFetcher {

    /** containerd's label naming the repositories a blob came from, per registry host. */
    static final String SOURCE_LABEL = "containerd.io/distribution.source.";
    private static final int CHUNK = 1 << 20;
    private static final long MAX_WAIT_MILLIS = 500;

    private final ContentService content;
    private final LeaseService leases;

    BlobFetcher(ContentService content, LeaseService leases) {
        this.content = content;
        this.leases = leases;
    }

    /**
     * A blob the namespace held already joins the pull's lease too (as containerd's metadata
     * store does), so deleting the image that held it cannot free it in the middle of the pull.
     */
    private void lease(String ns, String lease, String digest) {
        leases.addResource(ns, lease, new LeaseResource(LeaseResource.CONTENT, digest));
    }

    /**
     * Makes {@code d} present in namespace {@code ns}.
     *
     * @param kind what the blob is to the image: index, manifest, config, layer
     * @param tee  where an unpack follows the download, or {@code null}
     * @return true when it was downloaded, false when it was present already
     */
    boolean fetch(String ns, String lease, RegistryClient registry, String kind, Descriptor d, TransferStatus status,
                  BooleanSupplier cancelled, LayerTee tee) throws IOException, InterruptedException {
        try {
            return fetchInto(ns, lease, registry, kind, d, status, cancelled, tee == null ? NO_TEE : tee);
        } catch (IOException e) {
            if (tee != null) {
                tee.fail(e);
            }
            throw e;
        } catch (RuntimeException | InterruptedException e) {
            if (tee != null) {
                tee.fail(new IOException(e.getMessage(), e));
            }
            throw e;
        } finally {
            if (tee != null) {
                tee.unavailable(); // no-op once decided
            }
        }
    }

    /** Stands in when nobody follows the download. */
    private static final LayerTee NO_TEE = new LayerTee();

    static {
        NO_TEE.close();
    }

    private boolean fetchInto(String ns, String lease, RegistryClient registry, String kind, Descriptor d, TransferStatus status,
                              BooleanSupplier cancelled, LayerTee tee) throws IOException, InterruptedException {
        String ref = kind + "-" + d.digest();
        String sourceKey = SOURCE_LABEL + registry.reference().sourceLabelHost();
        long backoff = 20;
        while (true) {
            NamespacedWriter w;
            try {
                w = content.writer(ns, lease, ref, d.size(), d.digest());
            } catch (JctrException e) {
                if (e.kind() == JctrException.Kind.ALREADY_EXISTS && recorded(ns, d.digest())) {
                    lease(ns, lease, d.digest());
                    labelSource(ns, d.digest(), sourceKey, registry.reference().repository());
                    status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.EXISTS);
                    return false;
                }
                if (e.kind() != JctrException.Kind.UNAVAILABLE && e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                    throw e;
                }
                // UNAVAILABLE: another pull holds the ingest. ALREADY_EXISTS without a record: another
                // namespace's pull committed between the store's check and ours; the next try adopts it.
                status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.WAITING);
                if (cancelled.getAsBoolean()) {
                    throw new InterruptedException("pull cancelled while waiting for " + d.digest());
                }
                Thread.sleep(backoff); // another pull holds the ingest: it will commit, then we adopt the blob
                backoff = Math.min(MAX_WAIT_MILLIS, backoff * 2);
                continue;
            }
            try (w) {
                download(w, ns, ref, registry, kind, d, status, cancelled, tee);
                w.commitOrKeep(d.size(), d.digest(), Map.of(sourceKey, registry.reference().repository()));
            }
            return true;
        }
    }

    /** Stores a manifest or index already read from the registry (and verified), with its labels. */
    void storeBytes(String ns, String lease, RegistryClient registry, String kind, Descriptor d, byte[] bytes,
                    Map<String, String> labels, TransferStatus status) throws IOException, InterruptedException {
        String ref = kind + "-" + d.digest();
        String sourceKey = SOURCE_LABEL + registry.reference().sourceLabelHost();
        long backoff = 20;
        while (true) {
            try (NamespacedWriter w = content.writer(ns, lease, ref, d.size(), d.digest())) {
                w.write(0, ByteBuffer.wrap(bytes));
                Map<String, String> all = new java.util.TreeMap<>(labels);
                all.put(sourceKey, registry.reference().repository());
                w.commit(d.size(), d.digest(), all);
                status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.DONE);
                return;
            } catch (JctrException e) {
                if (e.kind() == JctrException.Kind.ALREADY_EXISTS && recorded(ns, d.digest())) {
                    lease(ns, lease, d.digest());
                    if (!labels.isEmpty()) {
                        content.update(ns, d.digest(), labels, labels.keySet().stream().map(k -> "labels." + k).toList());
                    }
                    labelSource(ns, d.digest(), sourceKey, registry.reference().repository());
                    status.set(kind, d.mediaType(), d.digest(), d.size(), TransferStatus.State.EXISTS);
                    return;
                }
                if (e.kind() != JctrException.Kind.UNAVAILABLE && e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                    throw e;
                }
                Thread.sleep(backoff);
                backoff = Math.min(MAX_WAIT_MILLIS, backoff * 2);
            }
        }
    }

    private void download(NamespacedWriter w, String ns, String ref, RegistryClient registry, String kind, Descriptor d,
                          TransferStatus status, BooleanSupplier cancelled, LayerTee tee) throws IOException {
        long offset = w.status().offset();
        if (offset > d.size()) {
            w.write(0, ByteBuffer.allocate(0)); // more than the blob's size: start over
            offset = 0;
        }
        status.offset(d.digest(), TransferStatus.State.DOWNLOADING, offset); // before the unpack may say "unpacking"
        boolean streams = offset == 0 && d.size() > 0;
        if (streams) {
            tee.begin();
        } else {
            tee.unavailable();
        }
        if (offset < d.size()) {
            try (RegistryClient.BlobStream s = registry.blob(d.digest(), offset)) {
                if (s.start() != offset) {
                    w.write(0, ByteBuffer.allocate(0)); // the registry ignored the range
                    offset = 0;
                }
                offset = copy(s.body(), w, offset, registry, d, status, cancelled, streams ? tee : NO_TEE);
            }
        }
        if (offset != d.size()) {
            throw JctrException.failedPrecondition("blob %s of %s: unexpected end of data after %d of %d bytes", d.digest(),
                    registry.reference().locator(), offset, d.size());
        }
        String got = w.digest();
        if (!got.equals(d.digest())) {
            w.close();
            content.abort(ns, ref);
            throw JctrException.failedPrecondition("blob %s (%s) of %s: digest mismatch: the registry sent content with digest %s; nothing was stored",
                    d.digest(), kind, registry.reference().locator(), got);
        }
    }

    /**
     * Copies the body into the ingest in chunks of up to 1 MiB. Bytes received before a broken
     * connection are still written, so the next pull resumes after them.
     */
    private static long copy(InputStream in, NamespacedWriter w, long start, RegistryClient registry, Descriptor d,
                             TransferStatus status, BooleanSupplier cancelled, LayerTee tee) throws IOException {
        boolean teeing = true;
        byte[] buf = new byte[CHUNK];
        long offset = start;
        boolean eof = false;
        while (!eof) {
            int n = 0;
            IOException broken = null;
            try {
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    n += r;
                }
            } catch (IOException e) {
                broken = e;
            }
            if (offset + n > d.size()) {
                throw JctrException.failedPrecondition("blob %s of %s: the registry sent more than the %d bytes its descriptor gives",
                        d.digest(), registry.reference().locator(), d.size());
            }
            if (n > 0) {
                w.write(offset, ByteBuffer.wrap(buf, 0, n));
                offset += n;
                status.offset(d.digest(), TransferStatus.State.DOWNLOADING, offset);
                teeing = teeing && tee.offer(buf, 0, n);
            }
            if (broken != null) {
                throw new IOException("blob " + d.digest() + " of " + registry.reference().locator() + ": download broken off after "
                        + offset + " of " + d.size() + " bytes (a new pull resumes there): " + broken.getMessage(), broken);
            }
            if (cancelled.getAsBoolean() || Thread.interrupted()) {
                throw new InterruptedIOException("pull cancelled while fetching " + d.digest());
            }
        }
        if (teeing) {
            tee.end();
        }
        return offset;
    }

    /** Whether the namespace has its record of the blob (a commit records store and namespace in two steps). */
    private boolean recorded(String ns, String digest) {
        try {
            content.info(ns, digest);
            return true;
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Adds {@code repository} to the blob's source label for this registry host, as containerd does. */
    void labelSource(String ns, String digest, String key, String repository) {
        String current = content.info(ns, digest).labels().getOrDefault(key, "");
        if (List.of(current.split(",")).contains(repository)) {
            return;
        }
        String value = current.isEmpty() ? repository : current + "," + repository;
        content.update(ns, digest, Map.of(key, value), List.of("labels." + key));
    }
}
