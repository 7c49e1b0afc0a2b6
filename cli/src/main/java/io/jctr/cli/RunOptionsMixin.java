package io.jctr.cli;

import io.jctr.api.services.run.v1.RunOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The container options of {@code jctr run} and {@code jctr containers create}, sent as they
 * are to the daemon's Run service, which checks them and names a bad one. The CLI only reads
 * the env file (it is the client's file) and turns sizes such as {@code 64m} into bytes.
 */
final class RunOptionsMixin {

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "set an environment variable (repeatable; KEY alone unsets)")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "read KEY=VALUE lines from FILE ('#' comments)")
    Path envFile;

    @Option(names = "--mount", paramLabel = "type=bind,src=/host,dst=/ctr,options=rbind:ro", description = "add a mount (repeatable)")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--net", paramLabel = "host|none", description = "host: share the host's network; none (default): loopback only")
    String net = "";

    @Option(names = "--hostname", paramLabel = "NAME", description = "the container's host name (default: its id)")
    String hostname = "";

    @Option(names = "--memory-limit", paramLabel = "BYTES", description = "memory limit: bytes, or with k, m, g (e.g. 64m)")
    String memoryLimit;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, e.g. 0.5")
    double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "maximum number of processes")
    long pidsLimit;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "name or uid, optionally :group or :gid (default: the image's)")
    String user = "";

    @Option(names = "--cwd", paramLabel = "DIR", description = "working directory (default: the image's, else /)")
    String cwd = "";

    @Option(names = "--read-only", description = "mount the root file system read-only")
    boolean readOnly;

    @Option(names = "--privileged", description = "all capabilities and devices, no seccomp, no masked paths")
    boolean privileged;

    @Option(names = "--cap-add", paramLabel = "CAP", description = "add a capability, e.g. CAP_NET_ADMIN, or ALL (repeatable)")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "drop a capability, or ALL (repeatable)")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "add a container label (repeatable)")
    List<String> labels = new ArrayList<>();

    /** Not a container option: whether the client pulls a missing image. */
    enum Pull { missing, never }

    @Option(names = "--pull", paramLabel = "WHEN", defaultValue = "missing",
            description = "pull the image: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Pull pull;

    /** The options for a process {@code args} (empty: the image's Cmd), with or without a terminal. */
    RunOptions toProto(List<String> args, boolean terminal, boolean stdin) {
        RunOptions.Builder b = RunOptions.newBuilder().addAllArgs(args).addAllEnv(env).addAllMounts(mounts).setNet(net)
                .setHostname(hostname).setCpus(cpus).setPidsLimit(pidsLimit).setUser(user).setCwd(cwd).setReadOnly(readOnly)
                .setPrivileged(privileged).addAllCapAdd(capAdd).addAllCapDrop(capDrop).putAllLabels(Labels.parse(labels))
                .setTerminal(terminal).setStdin(stdin);
        if (memoryLimit != null) {
            b.setMemoryLimit(bytes(memoryLimit, "--memory-limit"));
        }
        if (envFile != null) {
            try {
                b.setEnvFile(Files.readString(envFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliException("--env-file " + envFile + ": cannot read it: " + e.getMessage());
            }
        }
        return b.build();
    }

    /** {@code 1024}, {@code 64k}, {@code 64m}, {@code 1g} (binary units, optional trailing b); negative values pass on to be refused. */
    static long bytes(String value, String option) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b") && v.length() > 1 && !Character.isDigit(v.charAt(v.length() - 2))) {
            v = v.substring(0, v.length() - 1);
        }
        long unit = 1;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> {
                }
            }
        }
        String number = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(number), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CliException(option + " " + value + ": not a size (want bytes, or a number with k, m or g)");
        }
    }
}
