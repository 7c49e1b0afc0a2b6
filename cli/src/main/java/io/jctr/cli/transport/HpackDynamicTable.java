package io.jctr.cli.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * HPACK's dynamic table (RFC 7541 §2.3.2, §4): newest entry first, evicting the oldest entries
 * when an insertion or a size update would exceed the maximum size.
 */
final class HpackDynamicTable {

    /** Oldest first, so that eviction removes from the front and insertion appends. */
    private final List<Header> entries = new ArrayList<>();
    private int size;
    private int maxSize;

    HpackDynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    int length() {
        return entries.size();
    }

    /** The sum of the entries' sizes, in the octets RFC 7541 §4.1 counts. */
    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** The entry at {@code index}, 1 being the newest. */
    Header get(int index) {
        return entries.get(entries.size() - index);
    }

    void add(Header header) {
        int needed = header.hpackSize();
        if (needed > maxSize) {
            // §4.4: an entry larger than the table empties it and is not added
            entries.clear();
            size = 0;
            return;
        }
        evictTo(maxSize - needed);
        entries.add(header);
        size += needed;
    }

    void setMaxSize(int newMaxSize) {
        maxSize = newMaxSize;
        evictTo(newMaxSize);
    }

    private void evictTo(int limit) {
        while (size > limit) {
            size -= entries.remove(0).hpackSize();
        }
    }
}
