package io.jctr.core.leases;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the local lease service as {@code io.jctr.service.v1.leases-service}. */
public final class LeasesServicePlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.SERVICE, "leases-service").requires(PluginType.METADATA);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        return new LeaseService(context.get(PluginType.METADATA, MetadataStore.class));
    }
}
