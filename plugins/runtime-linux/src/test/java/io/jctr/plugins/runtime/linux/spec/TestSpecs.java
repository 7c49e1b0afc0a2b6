package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Spec documents for tests: the committed resources and a minimal valid spec to mutate. */
public final class TestSpecs {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestSpecs() {
    }

    /** A test resource of this package, e.g. {@code runc-spec.json}. */
    public static byte[] resource(String name) {
        try (InputStream in = TestSpecs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The smallest spec this runtime accepts: a shell in a new mount namespace. */
    public static ObjectNode minimal() {
        return (ObjectNode) tree("""
                {"ociVersion": "1.1.0",
                 "process": {"args": ["sh"], "cwd": "/"},
                 "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "mount"}]}}
                """);
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads (binds without validating) {@code node}. */
    public static RuntimeSpec read(ObjectNode node) {
        return SpecParser.read(bytes(node));
    }
}
