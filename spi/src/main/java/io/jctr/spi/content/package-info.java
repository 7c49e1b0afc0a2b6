/**
 * The content store contract: an immutable, content-addressed blob store with resumable,
 * verified ingests — the Java counterpart of containerd's {@code content.Store}, sized to serve
 * containerd's {@code containerd.services.content.v1.Content} API on top of it.
 *
 * <p><b>Digests</b> are strings of the form {@code <algorithm>:<hex>}; every store must accept
 * {@code sha256:} followed by 64 lower-case hex digits. A digest that is not well formed (or uses
 * an algorithm the store does not support) is an {@code INVALID_ARGUMENT}
 * {@link io.jctr.spi.JctrException}.
 *
 * <p><b>Namespaces.</b> The store is not namespaced: a blob is stored once for the whole daemon.
 * The daemon's metadata store decides which namespace sees which blob and keeps per-namespace
 * labels, the way containerd's {@code metadata} package wraps its local store. Ingest refs
 * reaching the store are therefore already made unique by the daemon and may contain any
 * character, {@code /} included; a store must not use a ref as a file name as it is.
 *
 * <p><b>Errors.</b> Conditions a client can act on are reported as
 * {@link io.jctr.spi.JctrException} with the kind each method documents (mirroring containerd's
 * errdefs); an {@link java.io.IOException} means the underlying storage failed in a way no kind
 * describes and is reported to clients as {@code UNKNOWN}.
 */
package io.jctr.spi.content;
