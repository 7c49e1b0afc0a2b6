package io.jctr.core.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.api.events.NamespaceUpdate;
import io.jctr.core.filters.Filter;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceServiceTest {

    @TempDir
    Path dir;

    private MetadataStore store;
    private NamespaceService namespaces;
    private final List<String> topics = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = MetadataStore.open(dir);
        namespaces = new NamespaceService(store, (ns, topic, event) -> topics.add(topic + " " + ns));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static JctrException.Kind kind(Runnable r) {
        return assertThrows(JctrException.class, r::run).kind();
    }

    @Test
    void createLabelAndDeleteWithEvents() {
        namespaces.create("t1", Map.of());
        namespaces.update("t1", Map.of("a", "b"), List.of("labels.a"));
        namespaces.update("t1", Map.of("c", "d"), List.of("labels.c"));
        assertEquals(Map.of("a", "b", "c", "d"), namespaces.get("t1").labels());
        namespaces.update("t1", Map.of(), List.of("labels.a"));
        assertEquals(Map.of("c", "d"), namespaces.get("t1").labels());
        namespaces.update("t1", Map.of("x", "y"), List.of());
        assertEquals(Map.of("x", "y"), namespaces.get("t1").labels());
        namespaces.delete("t1");
        assertEquals(List.of(), namespaces.list());
        assertEquals(List.of("/namespaces/create t1", "/namespaces/update t1", "/namespaces/update t1",
                "/namespaces/update t1", "/namespaces/update t1", "/namespaces/delete t1"), topics);
    }

    @Test
    void badInputIsRejectedAndNothingChanges() {
        namespaces.create("keep", Map.of("k", "v"));
        assertEquals(JctrException.Kind.ALREADY_EXISTS, kind(() -> namespaces.create("keep", Map.of())));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.create("Bad Name", Map.of())));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.create("a..b", Map.of())));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.create("x".repeat(77), Map.of())));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.create("big", Map.of("k", "v".repeat(4096)))));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.update("keep", Map.of(), List.of("name"))));
        assertEquals(JctrException.Kind.NOT_FOUND, kind(() -> namespaces.delete("missing")));
        assertEquals(List.of("keep"), namespaces.list().stream().map(NamespaceRecord::name).toList());
        assertEquals(Map.of("k", "v"), namespaces.get("keep").labels());
    }

    /** containerd's Go client labels a namespace it may not have created: the label creates it. */
    @Test
    void labellingAMissingNamespaceCreatesItWithoutACreateEvent() {
        namespaces.update("fresh", Map.of("containerd.io/defaults/snapshotter", "native"),
                List.of("labels.containerd.io/defaults/snapshotter"));
        assertEquals(List.of("fresh"), namespaces.list().stream().map(NamespaceRecord::name).toList());
        assertEquals(Map.of("containerd.io/defaults/snapshotter", "native"), namespaces.get("fresh").labels());
        namespaces.update("fresh2", Map.of(), List.of("labels.gone")); // removing a label creates it too
        namespaces.update("fresh3", Map.of("a", "b"), List.of()); // as does a full replace with labels
        assertEquals(List.of("fresh", "fresh2", "fresh3"), namespaces.list().stream().map(NamespaceRecord::name).toList());
        assertEquals(List.of("/namespaces/update fresh", "/namespaces/update fresh2", "/namespaces/update fresh3"), topics);
    }

    @Test
    void anUpdateThatChangesNoLabelOrFailsCreatesNothing() {
        namespaces.update("nothing", Map.of(), List.of());
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> namespaces.update("bad", Map.of("a", "b"), List.of("labels.a", "name"))));
        assertEquals(List.of(), namespaces.list());
    }

    /** containerd's Get reads a missing namespace as one without labels; its Go client's start-up relies on it. */
    @Test
    void aMissingNamespaceReadsAsOneWithoutLabels() {
        assertEquals(Map.of(), namespaces.get("missing").labels());
        assertEquals("missing", namespaces.get("missing").name());
        assertEquals(List.of(), namespaces.list());
    }

    @Test
    void theUpdateEventCarriesTheRequestsLabels() {
        List<Object> sent = new ArrayList<>();
        NamespaceService withPayloads = new NamespaceService(store, (ns, topic, event) -> sent.add(event));
        withPayloads.create("ev", Map.of("keep", "1"));
        withPayloads.update("ev", Map.of("a", "b"), List.of("labels.a"));
        assertEquals(Map.of("a", "b"), ((NamespaceUpdate) sent.get(1)).getLabelsMap());
        assertEquals(Map.of("a", "b", "keep", "1"), withPayloads.get("ev").labels());
    }

    @Test
    void aNamespaceHoldingResourcesCannotBeDeleted() {
        LeaseService leases = new LeaseService(store);
        leases.create("busy", "l1", Map.of());
        assertEquals("busy", namespaces.get("busy").name()); // created implicitly by the first write
        JctrException e = assertThrows(JctrException.class, () -> namespaces.delete("busy"));
        assertEquals(JctrException.Kind.FAILED_PRECONDITION, e.kind());
        assertEquals("namespace \"busy\" must be empty, but it still has leases: failed precondition", e.getMessage());
        assertEquals(1, leases.list("busy", Filter.ALL).size());
        leases.delete("busy", "l1");
        namespaces.delete("busy");
    }
}
