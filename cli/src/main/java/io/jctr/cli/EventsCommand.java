package io.jctr.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jctr.api.events.ContainerCreate;
import io.jctr.api.events.ContainerDelete;
import io.jctr.api.events.ContainerUpdate;
import io.jctr.api.events.ContentDelete;
import io.jctr.api.events.NamespaceCreate;
import io.jctr.api.events.NamespaceDelete;
import io.jctr.api.events.NamespaceUpdate;
import io.jctr.api.events.SnapshotCommit;
import io.jctr.api.events.SnapshotPrepare;
import io.jctr.api.events.SnapshotRemove;
import io.jctr.api.events.TaskCheckpointed;
import io.jctr.api.events.TaskCreate;
import io.jctr.api.events.TaskDelete;
import io.jctr.api.events.TaskExecAdded;
import io.jctr.api.events.TaskExecStarted;
import io.jctr.api.events.TaskExit;
import io.jctr.api.events.TaskIO;
import io.jctr.api.events.TaskOOM;
import io.jctr.api.events.TaskPaused;
import io.jctr.api.events.TaskResumed;
import io.jctr.api.events.TaskStart;
import io.jctr.api.events.images.ImageCreate;
import io.jctr.api.events.images.ImageDelete;
import io.jctr.api.events.images.ImageUpdate;
import io.jctr.api.services.events.v1.Envelope;
import io.jctr.api.services.events.v1.EventsGrpc;
import io.jctr.api.services.events.v1.SubscribeRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr events [FILTER...]}: the daemon's events as they happen, in every namespace
 * (containerd's Subscribe), one line each like {@code ctr events}: time, namespace, topic and the
 * decoded payload; {@code --format json} prints one JSON object per line.
 */
@Command(name = "events", aliases = "event", description = "Print events as they happen (filters as ctr's, e.g. topic~=/tasks/)")
class EventsCommand implements Runnable {

    private static final Map<String, Message> PAYLOADS = payloads();

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "containerd filters, OR-ed, e.g. topic==/tasks/exit")
    List<String> filters = new ArrayList<>();

    private static Map<String, Message> payloads() {
        Map<String, Message> m = new HashMap<>();
        for (Message d : List.of(ContainerCreate.getDefaultInstance(), ContainerDelete.getDefaultInstance(),
                ContainerUpdate.getDefaultInstance(), ContentDelete.getDefaultInstance(), NamespaceCreate.getDefaultInstance(),
                NamespaceDelete.getDefaultInstance(), NamespaceUpdate.getDefaultInstance(), SnapshotCommit.getDefaultInstance(),
                SnapshotPrepare.getDefaultInstance(), SnapshotRemove.getDefaultInstance(), TaskCheckpointed.getDefaultInstance(),
                TaskCreate.getDefaultInstance(), TaskDelete.getDefaultInstance(), TaskExecAdded.getDefaultInstance(),
                TaskExecStarted.getDefaultInstance(), TaskExit.getDefaultInstance(), TaskIO.getDefaultInstance(),
                TaskOOM.getDefaultInstance(), TaskPaused.getDefaultInstance(), TaskResumed.getDefaultInstance(),
                TaskStart.getDefaultInstance(), ImageCreate.getDefaultInstance(), ImageDelete.getDefaultInstance(),
                ImageUpdate.getDefaultInstance())) {
            m.put(d.getDescriptorForType().getFullName(), d);
        }
        return m;
    }

    /** The payload decoded into fields, or only its type when it is of a type this client does not know. */
    static Map<String, Object> payload(Envelope e) {
        Message type = PAYLOADS.get(e.getEvent().getTypeUrl());
        if (type == null) {
            return Map.of("type_url", e.getEvent().getTypeUrl());
        }
        try {
            return ProtoJson.toMap(type.getParserForType().parseFrom(e.getEvent().getValue()));
        } catch (InvalidProtocolBufferException ex) {
            return Map.of("type_url", e.getEvent().getTypeUrl(), "error", "malformed: " + ex.getMessage());
        }
    }

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            Iterator<Envelope> it = EventsGrpc.newBlockingStub(api.channel()).subscribe(SubscribeRequest.newBuilder().addAllFilters(filters).build());
            PrintWriter out = spec.commandLine().getOut();
            while (it.hasNext()) {
                Envelope e = it.next();
                if (output.json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("timestamp", Formats.time(e.getTimestamp()));
                    m.put("namespace", e.getNamespace());
                    m.put("topic", e.getTopic());
                    m.put("event", payload(e));
                    out.println(JsonWriter.line(m));
                } else {
                    out.println(Formats.time(e.getTimestamp()) + " " + e.getNamespace() + " " + e.getTopic() + " "
                            + JsonWriter.line(payload(e)));
                }
                out.flush();
            }
        }
    }
}
