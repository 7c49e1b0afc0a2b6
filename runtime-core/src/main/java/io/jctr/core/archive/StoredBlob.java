package io.jctr.core.archive;

/**
 * A blob an import put into (or found in) the content store.
 *
 * @param head the first bytes of the blob (up to 4), to tell compressed layers apart
 */
record StoredBlob(String digest, long size, byte[] head) {
}
