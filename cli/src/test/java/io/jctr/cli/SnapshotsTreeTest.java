package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotsTreeTest {

    @Test
    void rootsInListingOrderChildrenIndentedBelowTheirParent() {
        SnapshotsTree t = new SnapshotsTree().add("a2", "").add("a3", "c1").add("c1", "").add("v1", "c1")
                .add("grandchild", "a3");
        assertEquals(List.of(" a2", " c1", "  \\_ a3", "    \\_ grandchild", "  \\_ v1"), t.lines());
    }

    @Test
    void aParentMissingFromTheListingStillHasItsLine() {
        assertEquals(List.of(" gone", "  \\_ child"), new SnapshotsTree().add("child", "gone").lines());
    }

    @Test
    void nothingListedPrintsNothing() {
        assertEquals(List.of(), new SnapshotsTree().lines());
    }
}
