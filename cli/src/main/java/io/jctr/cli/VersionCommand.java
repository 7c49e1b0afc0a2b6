package io.jctr.cli;

import com.google.protobuf.Empty;
import io.jctr.api.services.introspection.v1.IntrospectionGrpc;
import io.jctr.api.services.introspection.v1.ServerResponse;
import io.jctr.api.services.version.v1.VersionGrpc;
import io.jctr.api.services.version.v1.VersionResponse;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jctr version}: the client's and the daemon's versions and the daemon's UUID. */
@Command(name = "version", description = "Print the client and server versions")
class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            VersionResponse v = VersionGrpc.newBlockingStub(api.channel())
                    .withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS).version(Empty.getDefaultInstance());
            ServerResponse s = IntrospectionGrpc.newBlockingStub(api.channel())
                    .withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS).server(Empty.getDefaultInstance());
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                Map<String, Object> client = new LinkedHashMap<>();
                client.put("version", ClientVersion.VERSION);
                client.put("revision", ClientVersion.REVISION);
                client.put("java", System.getProperty("java.version"));
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("version", v.getVersion());
                server.put("revision", v.getRevision());
                server.put("uuid", s.getUuid());
                out.println(JsonWriter.write(Map.of("client", client, "server", server)));
            } else {
                out.println("Client:");
                out.println("  Version:  " + ClientVersion.VERSION);
                out.println("  Revision: " + ClientVersion.REVISION);
                out.println("  Java:     " + System.getProperty("java.version"));
                out.println();
                out.println("Server:");
                out.println("  Version:  " + v.getVersion());
                out.println("  Revision: " + v.getRevision());
                out.println("  UUID:     " + s.getUuid());
            }
            out.flush();
        }
    }
}
