package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import java.io.IOException;

/**
 * The spec an exec'd process is planned from: the container's config.json with its
 * {@code process} replaced, so the process is validated and planned with the container's
 * namespaces, capabilities rules and hooks context.
 */
final class ExecProcess {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;

    private ExecProcess() {
    }

    /** {@code config} with {@code process} as its {@code process} member. */
    static byte[] withProcess(byte[] config, byte[] process) throws IOException {
        JsonNode p;
        try {
            p = MAPPER.readTree(process);
        } catch (JsonProcessingException e) {
            throw JctrException.invalidArgument("process: malformed json: %s", e.getOriginalMessage());
        }
        if (p == null || !p.isObject()) {
            throw JctrException.invalidArgument("process: expected an object");
        }
        ObjectNode spec = (ObjectNode) MAPPER.readTree(config);
        spec.set("process", p);
        return MAPPER.writeValueAsBytes(spec);
    }
}
