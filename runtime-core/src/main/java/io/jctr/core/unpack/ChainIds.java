package io.jctr.core.unpack;

import io.jctr.core.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain ids of a layer stack (the OCI image spec's definition): the first is the first diff id,
 * each next one {@code sha256(previous + " " + diffId)}. Snapshots of unpacked layers are named
 * by them, so images sharing lower layers share the snapshots.
 */
public final class ChainIds {

    private ChainIds() {
    }

    public static List<String> of(List<String> diffIds) {
        List<String> out = new ArrayList<>(diffIds.size());
        String previous = null;
        for (String id : diffIds) {
            previous = previous == null ? id : RegistryClient.sha256((previous + " " + id).getBytes(StandardCharsets.UTF_8));
            out.add(previous);
        }
        return out;
    }
}
