package io.jctr.core.run;

import java.util.List;
import java.util.Map;

/**
 * What {@code jctr run} asks for beyond the image: the options of
 * {@code jctr.services.run.v1.RunOptions}, unchecked. {@link SpecGenerator} validates each one
 * and names it in its error.
 *
 * @param args        replaces the image's Cmd (the Entrypoint stays), empty keeps the Cmd
 * @param env         KEY=VALUE, or KEY alone to unset
 * @param envFile     the contents of an env file
 * @param mounts      ctr's {@code type=bind,src=,dst=,options=} strings
 * @param net         "", "none" or "host"
 * @param memoryLimit bytes, 0 for none
 * @param cpus        CPUs as CFS quota, 0 for none
 * @param pidsLimit   0 for none
 * @param user        name|uid[:group|gid], empty for the image's
 */
public record RunOptions(List<String> args, List<String> env, String envFile, List<String> mounts, String net, String hostname,
                         long memoryLimit, double cpus, long pidsLimit, String user, String cwd, boolean readOnly,
                         boolean privileged, List<String> capAdd, List<String> capDrop, Map<String, String> labels,
                         boolean terminal) {

    public RunOptions {
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        labels = Map.copyOf(labels);
    }

    /** No options: the image as it is. */
    public static RunOptions none() {
        return new Builder().build();
    }

    /** Builds options one at a time (tests, and callers that set a few). */
    public static final class Builder {
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String envFile = "";
        private List<String> mounts = List.of();
        private String net = "";
        private String hostname = "";
        private long memory;
        private double cpus;
        private long pids;
        private String user = "";
        private String cwd = "";
        private boolean readOnly;
        private boolean privileged;
        private List<String> capAdd = List.of();
        private List<String> capDrop = List.of();
        private Map<String, String> labels = Map.of();
        private boolean terminal;

        public Builder args(String... v) {
            args = List.of(v);
            return this;
        }

        public Builder env(String... v) {
            env = List.of(v);
            return this;
        }

        public Builder envFile(String v) {
            envFile = v;
            return this;
        }

        public Builder mounts(String... v) {
            mounts = List.of(v);
            return this;
        }

        public Builder net(String v) {
            net = v;
            return this;
        }

        public Builder hostname(String v) {
            hostname = v;
            return this;
        }

        public Builder memory(long v) {
            memory = v;
            return this;
        }

        public Builder cpus(double v) {
            cpus = v;
            return this;
        }

        public Builder pids(long v) {
            pids = v;
            return this;
        }

        public Builder user(String v) {
            user = v;
            return this;
        }

        public Builder cwd(String v) {
            cwd = v;
            return this;
        }

        public Builder readOnly() {
            readOnly = true;
            return this;
        }

        public Builder privileged() {
            privileged = true;
            return this;
        }

        public Builder capAdd(String... v) {
            capAdd = List.of(v);
            return this;
        }

        public Builder capDrop(String... v) {
            capDrop = List.of(v);
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder terminal() {
            terminal = true;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(args, env, envFile, mounts, net, hostname, memory, cpus, pids, user, cwd, readOnly, privileged,
                    capAdd, capDrop, labels, terminal);
        }
    }
}
