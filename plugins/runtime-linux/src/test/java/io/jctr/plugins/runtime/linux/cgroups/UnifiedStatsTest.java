package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v2 statistics, OOM counter and freezer state read from a directory imitating cgroupfs. */
class UnifiedStatsTest {

    @TempDir
    Path dir;

    private void put(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content);
    }

    @Test
    void statsAreReadInRuncsShape() throws Exception {
        put("cpu.stat", "usage_usec 3000\nuser_usec 2000\nsystem_usec 1000\nnr_periods 7\n"
                + "nr_throttled 2\nthrottled_usec 5\n");
        put("memory.current", "4096\n");
        put("memory.max", "max\n");
        put("memory.peak", "8192\n");
        put("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        put("memory.stat", "anon 1024\nfile 2048\n");
        put("memory.swap.current", "100\n");
        put("memory.swap.max", "max\n");
        put("pids.current", "2\n");
        put("pids.max", "10\n");
        put("io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
        put("hugetlb.2MB.max", "max\n");
        put("hugetlb.2MB.current", "0\n");
        put("hugetlb.2MB.events", "max 4\n");
        CgroupStats s = UnifiedStats.read(dir);
        assertEquals(3_000_000, s.cpu().usage().total());
        assertEquals(2_000_000, s.cpu().usage().user());
        assertEquals(1_000_000, s.cpu().usage().kernel());
        assertEquals(new CgroupStats.Throttling(7, 2, 5000), s.cpu().throttling());
        assertEquals(new CgroupStats.MemoryEntry(-1, 4096, 8192, 3), s.memory().usage());
        assertEquals(4196, s.memory().swap().usage());
        assertEquals(2048, s.memory().cache());
        assertEquals(1024, s.memory().rss());
        assertEquals(new CgroupStats.Pids(2, 10), s.pids());
        assertEquals(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 10),
                new CgroupStats.BlkioEntry(8, 0, "Write", 20)), s.blkio().ioServiceBytesRecursive());
        assertEquals(Map.of("2MB", new CgroupStats.Hugetlb(0, 0, 4)), s.hugetlb());

        JsonNode json = new ObjectMapper().valueToTree(s);
        assertEquals(3_000_000, json.at("/cpu/usage/total").asLong());
        assertEquals(4096, json.at("/memory/usage/usage").asLong());
        assertEquals(7, json.at("/cpu/throttling/periods").asLong());
        assertEquals(2, json.at("/pids/current").asLong());
        assertEquals("Read", json.at("/blkio/ioServiceBytesRecursive/0/op").asText());
        assertEquals(4, json.at("/hugetlb/2MB/failcnt").asLong());
        assertEquals(true, json.at("/cpu/usage/percpu").isMissingNode(), json.toString());
    }

    @Test
    void oomKillCounterIncreasesAreReported() throws Exception {
        put("memory.events", "oom 0\noom_kill 0\n");
        MemoryEventsOomWatch watch = new MemoryEventsOomWatch(dir);
        assertEquals(OomWatch.Event.TIMEOUT, watch.await(Duration.ofMillis(120)));
        CompletableFuture<OomWatch.Event> event = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.await(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        put("memory.events", "oom 1\noom_kill 1\n");
        assertEquals(OomWatch.Event.OOM, event.get(5, TimeUnit.SECONDS));
        Files.delete(dir.resolve("memory.events"));
        Files.delete(dir);
        assertEquals(OomWatch.Event.CGROUP_REMOVED, watch.await(Duration.ofSeconds(5)));
        watch.close();
        assertEquals(OomWatch.Event.CLOSED, watch.await(Duration.ofSeconds(5)));
    }

    @Test
    void freezerStateFromCgroupFreezeAndEvents() throws Exception {
        put("cgroup.freeze", "0\n");
        put("cgroup.events", "populated 1\nfrozen 0\n");
        assertEquals(FreezerState.THAWED, Freezer.stateV2(dir));
        put("cgroup.freeze", "1\n");
        assertEquals(FreezerState.FREEZING, Freezer.stateV2(dir));
        put("cgroup.events", "populated 1\nfrozen 1\n");
        assertEquals(FreezerState.FROZEN, Freezer.stateV2(dir));
    }
}
