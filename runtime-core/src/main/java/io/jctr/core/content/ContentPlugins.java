package io.jctr.core.content;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.content.ContentStore;

/** The content service and its gRPC adapter as registry plugins. */
public final class ContentPlugins {

    private ContentPlugins() {
    }

    /** {@code io.jctr.service.v1.content-service}: namespaces over the first content store plugin. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "content-service").requires(PluginType.METADATA, PluginType.CONTENT);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ContentService(context.get(PluginType.METADATA, MetadataStore.class),
                    context.get(PluginType.CONTENT, ContentStore.class));
        }
    }

    /** {@code io.jctr.grpc.v1.content}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "content").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ContentGrpcService(((PluginInitContext) context).get(PluginType.SERVICE, "content-service", ContentService.class));
        }
    }
}
