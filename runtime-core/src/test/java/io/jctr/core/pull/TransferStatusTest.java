package io.jctr.core.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jctr.core.content.ContentRecord;
import io.jctr.core.registry.Reference;
import io.jctr.core.unpack.ChainIds;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferStatusTest {

    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void statesAndOffsetsWithOneNotificationPerStateChange() {
        TransferStatus s = new TransferStatus();
        AtomicInteger changes = new AtomicInteger();
        s.onStateChange(changes::incrementAndGet);
        s.set("layer", "m", D, 100, TransferStatus.State.WAITING);
        s.offset(D, TransferStatus.State.DOWNLOADING, 10);
        s.offset(D, TransferStatus.State.DOWNLOADING, 50);
        s.state(D, TransferStatus.State.DOWNLOADED);
        assertEquals(3, changes.get(), "waiting, downloading, downloaded; not each offset");
        assertEquals(List.of(new TransferStatus.Blob("layer", "m", D, TransferStatus.State.DOWNLOADED, 100, 100)), s.snapshot());
        long v = s.version();
        s.state("sha256:unknown", TransferStatus.State.DONE);
        assertEquals(v, s.version(), "unknown blobs are ignored");
    }

    @Test
    void mountSourceIsAnotherRepositoryOfTheSameHost() {
        Reference target = Reference.parse("127.0.0.1:5000/team/app:v1");
        ContentRecord r = new ContentRecord(D, 1, Map.of("containerd.io/distribution.source.127.0.0.1", "team/app,library/base",
                "containerd.io/distribution.source.docker.io", "library/other"), "", "");
        assertEquals("library/base", PushService.mountSource(r, target));
        assertEquals("", PushService.mountSource(r, Reference.parse("quay.io/x/y:1")));
        assertEquals("", PushService.mountSource(new ContentRecord(D, 1, Map.of(), "", ""), target));
    }

    @Test
    void chainIds() {
        String a = "sha256:" + "1".repeat(64);
        String b = "sha256:" + "2".repeat(64);
        List<String> chain = ChainIds.of(List.of(a, b));
        assertEquals(a, chain.get(0));
        assertEquals(io.jctr.core.registry.RegistryClient.sha256((a + " " + b).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                chain.get(1));
    }
}
