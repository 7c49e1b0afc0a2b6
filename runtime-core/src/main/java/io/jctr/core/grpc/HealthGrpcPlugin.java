package io.jctr.core.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/**
 * Registers {@code grpc.health.v1.Health} as {@code io.jctr.grpc.v1.healthcheck}: SERVING from
 * the moment the socket accepts calls (the server only starts once every plugin initialised).
 */
public final class HealthGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "healthcheck");
    }

    @Override
    public Object init(InitContext context) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        return health.getHealthService();
    }
}
