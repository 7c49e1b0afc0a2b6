package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.ContainerRecord;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.container.Signals;
import io.jctr.plugins.runtime.linux.container.StateJson;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The small life-cycle commands: start, state, list, kill, delete, pause, resume. */
final class LifecycleCommands {

    private LifecycleCommands() {
    }

    /** A command taking exactly one container id. */
    private static final class OneId extends RuncCommand {
        private final FlagSet flags;
        private final Action action;

        OneId(FlagSet flags, Action action) {
            super(1, 1);
            this.flags = flags;
            this.action = action;
        }

        @Override
        FlagSet flags() {
            return flags;
        }

        @Override
        int run(Invocation call) throws IOException {
            action.run(call);
            return 0;
        }
    }

    private interface Action {
        void run(Invocation call) throws IOException;
    }

    static final RuncCommand START = new OneId(new FlagSet(), c -> c.containers().start(c.id()));

    static final RuncCommand STATE = new OneId(new FlagSet(), c -> {
        LinuxContainers cs = c.containers();
        ContainerRecord r = cs.record(c.id());
        c.out().print(StateJson.forState(r, cs.status(r)));
        c.out().flush();
    });

    static final RuncCommand DELETE = new OneId(new FlagSet().bool("force", "f"),
            c -> c.containers().delete(c.id(), c.flags().has("force")));

    static final RuncCommand PAUSE = new OneId(new FlagSet(), c -> c.containers().pause(c.id()));

    static final RuncCommand RESUME = new OneId(new FlagSet(), c -> c.containers().resume(c.id()));

    /** {@code kill [--all] ID [SIGNAL]}, SIGTERM by default. */
    static final RuncCommand KILL = new RuncCommand(1, 2) {
        @Override
        FlagSet flags() {
            return new FlagSet().bool("all", "a");
        }

        @Override
        int run(Invocation call) throws IOException {
            int signal = call.flags().args().size() == 2 ? Signals.parse(call.flags().arg(1)) : Signals.SIGTERM;
            call.containers().kill(call.id(), signal, call.flags().has("all"));
            return 0;
        }
    };

    /** {@code list [-f table|json] [-q]}. */
    static final RuncCommand LIST = new RuncCommand(0, 0) {
        @Override
        FlagSet flags() {
            return new FlagSet().value("format", "f").bool("quiet", "q");
        }

        @Override
        int run(Invocation call) throws IOException {
            LinuxContainers cs = call.containers();
            List<ContainerRecord> records = cs.list();
            List<ContainerStatus> statuses = new ArrayList<>();
            for (ContainerRecord r : records) {
                statuses.add(cs.status(r));
            }
            if (call.flags().has("quiet")) {
                records.forEach(r -> call.out().println(r.id()));
                return 0;
            }
            String format = call.flags().get("format", "table");
            switch (format) {
                case "json" -> call.out().println(StateJson.forList(records, statuses));
                case "table" -> call.out().print(table(records, statuses));
                default -> throw JctrException.invalidArgument("invalid format option");
            }
            return 0;
        }
    };

    /** Go's tabwriter with minwidth 12, padding 3, as runc's list. */
    private static String table(List<ContainerRecord> records, List<ContainerStatus> statuses) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
        for (int i = 0; i < records.size(); i++) {
            ContainerRecord r = records.get(i);
            ContainerStatus s = statuses.get(i);
            rows.add(new String[] {r.id(), Integer.toString(s == ContainerStatus.STOPPED ? 0 : r.pid()),
                s.text(), r.bundle(), r.created(), r.owner()});
        }
        int[] widths = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < 5; i++) {
                widths[i] = Math.max(widths[i], Math.max(12, row[i].length() + 3));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < 5; i++) {
                b.append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
            }
            b.append(row[5]).append('\n');
        }
        return b.toString();
    }
}
