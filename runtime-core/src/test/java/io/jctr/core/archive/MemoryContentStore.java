package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A content store in memory, enough of the contract for the archive tests. */
final class MemoryContentStore implements ContentStore {

    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, ByteArrayOutputStream> ingests = new ConcurrentHashMap<>();

    @Override
    public ContentInfo info(String digest) {
        byte[] b = blobs.get(digest);
        if (b == null) {
            throw JctrException.notFound("content %s", digest);
        }
        return new ContentInfo(digest, b.length, Instant.EPOCH, Instant.EPOCH, Map.of());
    }

    @Override
    public ContentInfo update(ContentInfo info, Set<String> fieldpaths) {
        return info(info.digest());
    }

    @Override
    public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> consumer) {
        for (String d : new ArrayList<>(blobs.keySet())) {
            ContentInfo i = info(d);
            if (filter.test(i)) {
                consumer.accept(i);
            }
        }
    }

    @Override
    public void delete(String digest) {
        if (blobs.remove(digest) == null) {
            throw JctrException.notFound("content %s", digest);
        }
    }

    @Override
    public ContentReader reader(String digest) {
        byte[] b = info(digest).size() >= 0 ? blobs.get(digest) : null;
        return new ContentReader() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                if (position >= b.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), b.length - position);
                dst.put(b, (int) position, n);
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public IngestStatus status(String ref) {
        ByteArrayOutputStream b = ingests.get(ref);
        if (b == null) {
            throw JctrException.notFound("ingest %s", ref);
        }
        return new IngestStatus(ref, b.size(), 0, "", Instant.EPOCH, Instant.EPOCH);
    }

    @Override
    public List<IngestStatus> listStatuses(Predicate<IngestStatus> filter) {
        return ingests.keySet().stream().map(this::status).filter(filter).toList();
    }

    @Override
    public void abort(String ref) {
        if (ingests.remove(ref) == null) {
            throw JctrException.notFound("ingest %s", ref);
        }
    }

    @Override
    public ContentWriter writer(String ref, long expectedSize, String expectedDigest) {
        if (expectedDigest != null && !expectedDigest.isEmpty() && blobs.containsKey(expectedDigest)) {
            throw JctrException.alreadyExists("content %s", expectedDigest);
        }
        ByteArrayOutputStream data = ingests.computeIfAbsent(ref, r -> new ByteArrayOutputStream());
        return new ContentWriter() {
            private boolean open = true;

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                data.writeBytes(b);
                return n;
            }

            @Override
            public String digest() {
                if (!open) {
                    throw JctrException.failedPrecondition("writer of ingest %s is closed", ref);
                }
                return sha256(data.toByteArray());
            }

            @Override
            public IngestStatus status() {
                return MemoryContentStore.this.status(ref);
            }

            @Override
            public void truncate(long size) {
                data.reset();
            }

            @Override
            public ContentInfo commit(long size, String expected, Map<String, String> labels) {
                open = false;
                byte[] b = data.toByteArray();
                String d = sha256(b);
                if (size > 0 && size != b.length) {
                    throw JctrException.failedPrecondition("size %d, not %d", b.length, size);
                }
                if (expected != null && !expected.isEmpty() && !expected.equals(d)) {
                    throw JctrException.failedPrecondition("digest %s, not %s", d, expected);
                }
                ingests.remove(ref);
                if (blobs.putIfAbsent(d, b) != null) {
                    throw JctrException.alreadyExists("content %s", d);
                }
                return info(d);
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
