package io.jctr.core.introspection;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.rpc.Status;
import io.jctr.api.services.introspection.v1.IntrospectionGrpc;
import io.jctr.api.services.introspection.v1.Plugin;
import io.jctr.api.services.introspection.v1.PluginsRequest;
import io.jctr.api.services.introspection.v1.PluginsResponse;
import io.jctr.api.services.introspection.v1.ServerResponse;
import io.jctr.api.types.Platform;
import io.jctr.core.filters.Filter;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.Unary;
import io.jctr.core.plugin.PluginRecord;
import io.jctr.core.plugin.PluginRegistry;
import io.jctr.core.plugin.PluginStatus;
import io.jctr.spi.Registration;
import java.util.Optional;

/**
 * {@code containerd.services.introspection.v1.Introspection}: the plugin list with each
 * plugin's status, and the server's UUID. A skipped plugin's error says "skip plugin", which is
 * how ctr tells skip from error.
 */
final class IntrospectionGrpcService extends IntrospectionGrpc.IntrospectionImplBase {

    /** gRPC code UNKNOWN, containerd's code for a plugin's init error. */
    private static final int CODE_UNKNOWN = 2;

    private final PluginRegistry registry;
    private final String uuid;

    IntrospectionGrpcService(PluginRegistry registry, String uuid) {
        this.registry = registry;
        this.uuid = uuid;
    }

    @Override
    public void plugins(PluginsRequest request, StreamObserver<PluginsResponse> observer) {
        Unary.respond(observer, () -> {
            Filter filter = FilterParser.parse(request.getFiltersList());
            PluginsResponse.Builder b = PluginsResponse.newBuilder();
            for (PluginRecord r : registry.plugins()) {
                if (filter.test(path -> field(r, path.isEmpty() ? "" : path.get(0)))) {
                    b.addPlugins(proto(r));
                }
            }
            return b.build();
        });
    }

    @Override
    public void server(Empty request, StreamObserver<ServerResponse> observer) {
        Unary.respond(observer, () -> ServerResponse.newBuilder().setUuid(uuid).build());
    }

    private static Optional<String> field(PluginRecord r, String name) {
        Registration reg = r.registration();
        return switch (name) {
            case "type" -> Optional.of(reg.type());
            case "id" -> Optional.of(reg.id());
            case "status" -> Optional.ofNullable(r.status()).map(PluginStatus::label);
            case "platforms" -> reg.platformList().isEmpty() ? Optional.empty() : Optional.of(reg.platformList().get(0).toString());
            case "capabilities" -> reg.capabilitySet().isEmpty() ? Optional.empty() : Optional.of(String.join(",", reg.capabilitySet()));
            default -> Optional.empty();
        };
    }

    private static Plugin proto(PluginRecord r) {
        Registration reg = r.registration();
        Plugin.Builder p = Plugin.newBuilder().setType(reg.type()).setId(reg.id())
                .addAllRequires(reg.requiredTypes())
                .putAllExports(r.exports())
                .addAllCapabilities(reg.capabilitySet().stream().sorted().toList());
        reg.platformList().forEach(pl -> p.addPlatforms(Platform.newBuilder()
                .setOs(pl.os()).setArchitecture(pl.architecture()).setVariant(pl.variant())));
        if (r.status() == PluginStatus.SKIP) {
            p.setInitErr(Status.newBuilder().setCode(CODE_UNKNOWN).setMessage(r.message() + ": skip plugin"));
        } else if (r.status() == PluginStatus.ERROR) {
            p.setInitErr(Status.newBuilder().setCode(CODE_UNKNOWN).setMessage(r.message()));
        } else if (r.status() == null) {
            p.setInitErr(Status.newBuilder().setCode(CODE_UNKNOWN).setMessage("not initialised"));
        }
        return p.build();
    }
}
