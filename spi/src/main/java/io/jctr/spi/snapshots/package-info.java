/**
 * The snapshotter contract: parent-child filesystem snapshots handed out as mounts — the Java
 * counterpart of containerd's {@code snapshots.Snapshotter}, sized to serve containerd's
 * {@code containerd.services.snapshots.v1.Snapshots} API on top of it.
 *
 * <p><b>Keys are flat.</b> In containerd's API, snapshot keys and names belong to a namespace; a
 * snapshotter plugin knows nothing of namespaces. The daemon maps every namespaced key to a key
 * unique across namespaces (prefixing it with the namespace) and keeps the mapping and the
 * user-visible labels in its metadata store, as containerd's {@code metadata} package does. So a
 * snapshotter sees keys that may contain any character, {@code /} included, and must not use a key
 * as a file name as it is (containerd's snapshotters use internal numeric ids for directories).
 * Active, view and committed snapshots share one key space.
 *
 * <p><b>Errors.</b> Conditions a client can act on are reported as
 * {@link io.jctr.spi.JctrException} with the kind each method documents (mirroring containerd's
 * errdefs); an {@link java.io.IOException} means the storage failed in a way no kind describes
 * and is reported to clients as {@code UNKNOWN}.
 */
package io.jctr.spi.snapshots;
