package io.jctr.core.run;

import io.grpc.stub.StreamObserver;
import io.jctr.api.services.run.v1.CreateContainerRequest;
import io.jctr.api.services.run.v1.CreateContainerResponse;
import io.jctr.api.services.run.v1.RunGrpc;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.JctrException;

/** {@code jctr.services.run.v1.Run}: translation only, logic in {@link RunService}. */
final class RunGrpcService extends RunGrpc.RunImplBase {

    private final RunService runs;

    RunGrpcService(RunService runs) {
        this.runs = runs;
    }

    @Override
    public void createContainer(CreateContainerRequest r, StreamObserver<CreateContainerResponse> observer) {
        Unary.respondIo(observer, () -> {
            try {
                RunService.Created c = runs.create(RequestNamespace.current(), r.getImage(), r.getContainerId(), r.getSnapshotter(),
                        r.getRuntime(), options(r.getOptions()));
                return CreateContainerResponse.newBuilder().setContainer(c.container()).setLogUri(c.logUri()).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JctrException(JctrException.Kind.ABORTED, "container \"" + r.getContainerId() + "\": run cancelled");
            }
        });
    }

    static RunOptions options(io.jctr.api.services.run.v1.RunOptions o) {
        return new RunOptions(o.getArgsList(), o.getEnvList(), o.getEnvFile(), o.getMountsList(), o.getNet(), o.getHostname(),
                o.getMemoryLimit(), o.getCpus(), o.getPidsLimit(), o.getUser(), o.getCwd(), o.getReadOnly(), o.getPrivileged(),
                o.getCapAddList(), o.getCapDropList(), o.getLabelsMap(), o.getTerminal());
    }
}
