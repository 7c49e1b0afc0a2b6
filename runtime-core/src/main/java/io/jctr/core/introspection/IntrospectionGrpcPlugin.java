package io.jctr.core.introspection;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/**
 * Registers the introspection API as {@code io.jctr.grpc.v1.introspection}. It requires every
 * other plugin (as containerd's does) so that it is initialised last; it reads the registry at
 * call time.
 */
public final class IntrospectionGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "introspection").requires(Registration.ALL);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        PluginInitContext ctx = (PluginInitContext) context;
        String uuid = ServerIdentity.load(ctx.get(PluginType.METADATA, MetadataStore.class));
        return new IntrospectionGrpcService(ctx.registry(), uuid);
    }
}
