package io.jctr.core.diff;

import io.jctr.core.content.ContentService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** The diff service (containerd's "walking" differ) and its gRPC adapter as registry plugins. */
public final class DiffPlugins {

    private DiffPlugins() {
    }

    /** {@code io.jctr.service.v1.diff-service}; temporary mounts under its state directory. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "diff-service").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            ContentService content = ((PluginInitContext) context).get(PluginType.SERVICE, "content-service", ContentService.class);
            return new DiffService(content, context.state().resolve("mounts"));
        }
    }

    /** {@code io.jctr.grpc.v1.diff}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "diff").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new DiffGrpcService(((PluginInitContext) context).get(PluginType.SERVICE, "diff-service", DiffService.class));
        }
    }
}
