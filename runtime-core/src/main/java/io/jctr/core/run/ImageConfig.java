package io.jctr.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of an OCI image config ({@code config} of application/vnd.oci.image.config.v1+json,
 * or Docker's, which has the same names) that a container's process is made from.
 *
 * @param stopSignal empty when the image names none
 * @param labels     the image's Labels, which containerd copies onto its containers
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
                          String stopSignal, Map<String, String> labels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
    }

    /**
     * Parses the config blob {@code what} names.
     *
     * @throws JctrException INVALID_ARGUMENT when it is not JSON or a field has the wrong type
     */
    public static ImageConfig parse(byte[] json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw JctrException.invalidArgument("%s is not valid JSON: %s", what, e.getOriginalMessage());
        } catch (IOException e) {
            throw JctrException.invalidArgument("%s cannot be read: %s", what, e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw JctrException.invalidArgument("%s is not a JSON object", what);
        }
        JsonNode c = root.path("config");
        return new ImageConfig(strings(c, "Entrypoint", what), strings(c, "Cmd", what), strings(c, "Env", what),
                string(c, "WorkingDir", what), string(c, "User", what), string(c, "StopSignal", what), labels(c, what));
    }

    private static List<String> strings(JsonNode config, String field, String what) {
        JsonNode n = config.path(field);
        List<String> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw JctrException.invalidArgument("%s: config.%s is not an array of strings", what, field);
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw JctrException.invalidArgument("%s: config.%s is not an array of strings", what, field);
            }
            out.add(e.asText());
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode config, String what) {
        JsonNode n = config.path("Labels");
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw JctrException.invalidArgument("%s: config.Labels is not an object of strings", what);
        }
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String string(JsonNode config, String field, String what) {
        JsonNode n = config.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw JctrException.invalidArgument("%s: config.%s is not a string", what, field);
        }
        return n.asText();
    }
}
