package io.jctr.core.labels;

import io.jctr.spi.JctrException;
import java.util.Map;

/** containerd's label rules: a key and its value together at most 4096 bytes. */
public final class Labels {

    public static final int MAX_SIZE = 4096;

    private Labels() {
    }

    /** @throws JctrException INVALID_ARGUMENT naming the (shortened) key */
    public static void validate(Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw JctrException.invalidArgument("label key must not be empty");
            }
            if (e.getKey().length() + e.getValue().length() > MAX_SIZE) {
                String key = e.getKey().length() > 20 ? e.getKey().substring(0, 20) : e.getKey();
                throw JctrException.invalidArgument("label key and value greater than maximum size (%d bytes), key: %s", MAX_SIZE, key);
            }
        }
    }
}
