package io.jctr.core.namespaces;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the local namespace service as {@code io.jctr.service.v1.namespaces-service}. */
public final class NamespacesServicePlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.SERVICE, "namespaces-service").requires(PluginType.METADATA, PluginType.EVENT);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        return new NamespaceService(context.get(PluginType.METADATA, MetadataStore.class), context.events());
    }
}
