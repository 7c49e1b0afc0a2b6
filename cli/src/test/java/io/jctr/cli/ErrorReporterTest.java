package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {

    @Test
    void aServiceNoPluginProvidesSaysWhereToLook() {
        assertEquals("jctr.services.pull.v1.Pull/Pull", ErrorReporter.unservedMethod(
                Status.UNIMPLEMENTED.withDescription("Method not found: jctr.services.pull.v1.Pull/Pull")));
        assertEquals("containerd.services.tasks.v1.Tasks", ErrorReporter.unservedMethod(
                Status.UNIMPLEMENTED.withDescription("unknown service containerd.services.tasks.v1.Tasks")));
    }

    @Test
    void otherStatusesAreNotTakenForAMissingService() {
        assertNull(ErrorReporter.unservedMethod(Status.UNIMPLEMENTED.withDescription("checkpoint is not implemented")));
        assertNull(ErrorReporter.unservedMethod(Status.NOT_FOUND.withDescription("Method not found: x/y")));
        assertNull(ErrorReporter.unservedMethod(Status.UNIMPLEMENTED));
    }
}
