/**
 * The local content store: blobs and resumable ingests in a directory of the local file system
 * ({@link io.jctr.plugins.content.local.LocalContentStore}), registered as the plugin
 * {@code io.jctr.content.v1.local} ({@link io.jctr.plugins.content.local.LocalContentPlugin}).
 * Depends on the SPI and the JDK only.
 */
package io.jctr.plugins.content.local;
