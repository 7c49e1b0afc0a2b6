package io.jctr.core.version;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the version API as {@code io.jctr.grpc.v1.version}. */
public final class VersionGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "version");
    }

    @Override
    public Object init(InitContext context) {
        return new VersionGrpcService();
    }
}
