package io.jctr.core.tasks;

import io.jctr.core.containers.ContainerService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.runtime.ContainerRuntime;

/** The task service and its gRPC adapter as registry plugins. */
public final class TasksPlugins {

    /**
     * The task service's own type: it needs the other services, and a service plugin requiring
     * {@code SERVICE} would depend on itself's kind (as the pull service, it sits one level up).
     */
    public static final String TASKS = "io.jctr.tasks.v1";

    private TasksPlugins() {
    }

    /** {@code io.jctr.tasks.v1.tasks-service}: every runtime plugin that initialised, by id. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(TASKS, "tasks-service").requires(PluginType.SERVICE, PluginType.EVENT, PluginType.RUNTIME);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            PluginInitContext c = (PluginInitContext) context;
            return new TaskService(c.get(PluginType.SERVICE, "containers-service", ContainerService.class),
                    c.get(PluginType.SERVICE, "snapshots-service", SnapshotService.class),
                    context.getAll(PluginType.RUNTIME, ContainerRuntime.class), context.events(),
                    context.state().resolve("bundles"));
        }
    }

    /** {@code io.jctr.grpc.v1.tasks}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "tasks").requires(TASKS);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new TasksGrpcService(context.get(TASKS, TaskService.class));
        }
    }
}
