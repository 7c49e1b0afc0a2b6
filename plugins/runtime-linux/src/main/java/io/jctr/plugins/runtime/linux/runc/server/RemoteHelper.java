package io.jctr.plugins.runtime.linux.runc.server;

import io.jctr.plugins.runtime.linux.launch.HelperProcess;
import java.io.IOException;

/**
 * A helper the client forked: waits and kills travel to the client, its parent. Used from the
 * connection's one thread only.
 */
final class RemoteHelper implements HelperProcess {

    private final ClientSession session;
    private final int pid;

    RemoteHelper(ClientSession session, int pid) {
        this.session = session;
        this.pid = pid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int awaitExit() throws IOException {
        return session.helperStatus(true);
    }

    @Override
    public int poll() throws IOException {
        return session.helperStatus(false);
    }

    @Override
    public void kill(int signal) throws IOException {
        session.killHelper(signal);
    }
}
