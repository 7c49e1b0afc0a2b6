package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The two JSON shapes of a container's state: the OCI specification's state, which hooks read
 * on stdin, and runc's {@code state}/{@code list} output, which adds the rootfs, creation time
 * and owner. Member order follows runc's output, since people and scripts read it.
 */
public final class StateJson {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;


    private StateJson() {
    }

    /** The specification's state: ociVersion, id, status, pid, bundle, annotations. */
    public static String forHooks(ContainerRecord c, ContainerStatus status) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ociVersion", c.ociVersion());
        o.put("id", c.id());
        o.put("status", status.text());
        o.put("pid", status == ContainerStatus.STOPPED ? 0 : c.pid());
        o.put("bundle", c.bundle());
        if (!c.annotations().isEmpty()) {
            ObjectNode a = o.putObject("annotations");
            c.annotations().forEach(a::put);
        }
        return write(o, false);
    }

    /**
     * runc's {@code state} output, indented by two spaces. Its owner is empty: runc's
     * {@code state} never fills it in (only {@code list} does), and scripts compare the two.
     */
    public static String forState(ContainerRecord c, ContainerStatus status) {
        return write(runcState(c, status, ""), true);
    }

    /** runc's {@code list --format json} output: an array, or {@code null} when empty (as runc). */
    public static String forList(List<ContainerRecord> records, List<ContainerStatus> statuses) {
        if (records.isEmpty()) {
            return "null";
        }
        var array = MAPPER.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            array.add(runcState(records.get(i), statuses.get(i), records.get(i).owner()));
        }
        return write(array, false);
    }

    private static ObjectNode runcState(ContainerRecord c, ContainerStatus status, String owner) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ociVersion", c.ociVersion());
        o.put("id", c.id());
        o.put("pid", status == ContainerStatus.STOPPED ? 0 : c.pid());
        o.put("status", status.text());
        o.put("bundle", c.bundle());
        o.put("rootfs", c.rootfs());
        o.put("created", c.created());
        if (!c.annotations().isEmpty()) {
            ObjectNode a = o.putObject("annotations");
            c.annotations().forEach(a::put);
        }
        o.put("owner", owner);
        return o;
    }

    private static String write(Object node, boolean indent) {
        try {
            return (indent ? MAPPER.writer(GoJson.indent("  ")) : MAPPER.writer()).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
