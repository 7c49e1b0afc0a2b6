package io.jctr.core.metadata;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the LMDB metadata store as {@code io.jctr.metadata.v1.lmdb}. */
public final class MetadataPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.METADATA, "lmdb");
    }

    @Override
    public Object init(InitContext context) throws Exception {
        context.export("root", context.root().toString());
        return MetadataStore.open(context.root());
    }
}
