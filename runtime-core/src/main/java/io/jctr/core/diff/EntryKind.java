package io.jctr.core.diff;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The node a tar entry describes, decided by its type flag as Go's archive/tar decides it (only
 * the pre-POSIX NUL type turns into a directory by a trailing slash); other types (volume labels,
 * multi-volume continuations, ...) are refused, as containerd refuses them.
 */
enum EntryKind {
    DIRECTORY, FILE, SYMLINK, HARD_LINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO;

    /** @throws io.jctr.spi.JctrException INVALID_ARGUMENT naming the entry for an unsupported type */
    static EntryKind of(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        switch (flag) {
            case TarConstants.LF_OLDNORM:
                return entry.getName().endsWith("/") ? DIRECTORY : FILE;
            case TarConstants.LF_NORMAL, TarConstants.LF_CONTIG, TarConstants.LF_GNUTYPE_SPARSE:
                return FILE;
            case TarConstants.LF_DIR:
                return DIRECTORY;
            case TarConstants.LF_SYMLINK:
                return SYMLINK;
            case TarConstants.LF_LINK:
                return HARD_LINK;
            case TarConstants.LF_CHR:
                return CHAR_DEVICE;
            case TarConstants.LF_BLK:
                return BLOCK_DEVICE;
            case TarConstants.LF_FIFO:
                return FIFO;
            default:
                throw EntryNames.invalid(entry.getName(), String.format("unsupported tar entry type '%c'", (char) flag));
        }
    }

    boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }
}
