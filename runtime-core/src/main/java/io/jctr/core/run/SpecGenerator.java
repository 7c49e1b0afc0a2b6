package io.jctr.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Image config plus run options gives the OCI runtime spec, the way {@code ctr run} builds it
 * with containerd's {@code oci} options: start from containerd's default Unix spec with its
 * default devices ({@code default-spec.json}, generated from containerd's code), then the
 * image config ({@code WithImageConfigArgs}: Entrypoint + (args or Cmd), Env, WorkingDir, User
 * with additional gids), then each option. Pure: the caller supplies the image's passwd and
 * group files and where the container's /etc files are.
 */
public final class SpecGenerator {

    /** containerd's {@code defaultUnixEnv}, used when the image has no Env. */
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long CFS_PERIOD = 100_000;
    private static final JsonNode DEFAULT_SPEC = load();

    /**
     * What a spec is generated from besides the options.
     *
     * @param passwd       the image's /etc/passwd ("" when it has none)
     * @param group        the image's /etc/group ("" when it has none)
     * @param etc          the container's /etc/hosts, /etc/resolv.conf and /etc/hostname
     * @param hostHostname the host's name (a container on the host's network gets it in HOSTNAME)
     * @param hostPaths    tells whether a bind mount's source exists
     */
    public record Inputs(String namespace, String id, ImageConfig image, String passwd, String group, EtcFiles etc,
                         String hostHostname, Predicate<Path> hostPaths) {
    }

    private SpecGenerator() {
    }

    /**
     * @throws JctrException INVALID_ARGUMENT naming the option (or image config field) that is wrong
     */
    public static ObjectNode generate(Inputs in, RunOptions o) {
        checkLimits(o);
        ObjectNode spec = DEFAULT_SPEC.deepCopy();
        ObjectNode process = (ObjectNode) spec.get("process");
        ObjectNode linux = (ObjectNode) spec.get("linux");
        linux.put("cgroupsPath", "/" + in.namespace() + "/" + in.id());

        List<String> env = new ArrayList<>(in.image().env().isEmpty() ? List.of(DEFAULT_PATH) : in.image().env());
        env = withEnv(env, envFile(o.envFile()));
        env = withEnv(env, checkEnv(o.env(), "--env"));

        String cwd = !o.cwd().isEmpty() ? o.cwd() : in.image().workingDir().isEmpty() ? "/" : in.image().workingDir();
        if (!cwd.startsWith("/")) {
            throw JctrException.invalidArgument("%s %s: not an absolute path", o.cwd().isEmpty() ? "image config WorkingDir" : "--cwd", cwd);
        }
        process.put("cwd", cwd);

        ProcessUser user = !o.user().isEmpty() ? ProcessUser.resolve(o.user(), "--user", in.passwd(), in.group())
                : ProcessUser.resolve(in.image().user(), "image config User", in.passwd(), in.group());
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        user.additionalGids().forEach(u.putArray("additionalGids")::add);

        if (o.terminal()) {
            process.put("terminal", true);
            env = withEnv(env, List.of("TERM=xterm"));
        }

        String hostname = o.hostname().isEmpty() ? in.id() : o.hostname();
        spec.put("hostname", hostname);
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        switch (o.net()) {
            case "", "none" -> {
            }
            case "host" -> {
                removeNamespace(linux, "network");
                env = withEnv(env, List.of("HOSTNAME=" + in.hostHostname()));
            }
            default -> throw JctrException.invalidArgument("--net %s: want host or none", o.net());
        }
        mounts.add(bind(in.etc().hosts(), "/etc/hosts"));
        mounts.add(bind(in.etc().resolvConf(), "/etc/resolv.conf"));
        mounts.add(bind(in.etc().hostname(), "/etc/hostname"));
        for (String m : o.mounts()) {
            mounts.add(BindMounts.parse(m, in.hostPaths()));
        }
        strings(process.putArray("env"), env);

        if (o.readOnly()) {
            ((ObjectNode) spec.get("root")).put("readonly", true);
        }
        resources(linux, o);

        List<String> caps = o.privileged() ? Capabilities.ALL : strings(process.get("capabilities").get("bounding"));
        caps = Capabilities.apply(caps, o.capAdd(), o.capDrop());
        ObjectNode c = (ObjectNode) process.get("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(c.putArray(set), caps);
        }
        if (o.privileged()) {
            privileged(spec, linux);
        } else {
            linux.set("seccomp", SeccompProfile.forCapabilities(caps));
        }
        // last: a bad option is named even when the command is missing too
        List<String> args = new ArrayList<>(in.image().entrypoint());
        args.addAll(o.args().isEmpty() ? in.image().cmd() : o.args());
        if (args.isEmpty()) {
            throw JctrException.invalidArgument("container \"%s\": no command: the image has no Entrypoint or Cmd and none was given",
                    in.id());
        }
        strings(process.putArray("args"), args);
        return spec;
    }

    private static void checkLimits(RunOptions o) {
        if (o.memoryLimit() < 0) {
            throw JctrException.invalidArgument("--memory-limit %d: must not be negative", o.memoryLimit());
        }
        if (o.cpus() < 0 || Double.isNaN(o.cpus()) || Double.isInfinite(o.cpus())) {
            throw JctrException.invalidArgument("--cpus %s: must be a positive number", o.cpus());
        }
        if (o.pidsLimit() < 0) {
            throw JctrException.invalidArgument("--pids-limit %d: must not be negative", o.pidsLimit());
        }
    }

    private static void resources(ObjectNode linux, RunOptions o) {
        ObjectNode r = (ObjectNode) linux.get("resources");
        if (o.memoryLimit() > 0) {
            r.putObject("memory").put("limit", o.memoryLimit());
        }
        if (o.cpus() > 0) {
            long quota = (long) (o.cpus() * CFS_PERIOD);
            if (quota < 1000) {
                throw JctrException.invalidArgument("--cpus %s: less than 0.01 CPU", o.cpus());
            }
            r.putObject("cpu").put("quota", quota).put("period", CFS_PERIOD);
        }
        if (o.pidsLimit() > 0) {
            r.putObject("pids").put("limit", o.pidsLimit());
        }
    }

    /** containerd's WithPrivileged, WithAllDevicesAllowed: no masks, writable /sys, every device, no seccomp. */
    private static void privileged(ObjectNode spec, ObjectNode linux) {
        linux.remove("maskedPaths");
        linux.remove("readonlyPaths");
        ArrayNode devices = ((ObjectNode) linux.get("resources")).putArray("devices");
        devices.addObject().put("allow", true).put("access", "rwm");
        for (JsonNode m : spec.get("mounts")) {
            if (m.get("destination").asText().equals("/sys")) {
                ArrayNode options = ((ObjectNode) m).putArray("options");
                List.of("nosuid", "noexec", "nodev", "rw").forEach(options::add);
            }
        }
    }

    private static ObjectNode bind(Path source, String destination) {
        ObjectNode m = SpecJson.MAPPER.createObjectNode();
        m.put("destination", destination);
        m.put("type", "bind");
        m.put("source", source.toString());
        strings(m.putArray("options"), List.of("rbind", "rprivate", "rw"));
        return m;
    }

    private static void removeNamespace(ObjectNode linux, String type) {
        ArrayNode kept = SpecJson.MAPPER.createArrayNode();
        linux.get("namespaces").forEach(n -> {
            if (!n.get("type").asText().equals(type)) {
                kept.add(n);
            }
        });
        linux.set("namespaces", kept);
    }

    /** containerd's replaceOrAppendEnvValues: an override replaces the same key, a bare KEY removes it. */
    static List<String> withEnv(List<String> defaults, List<String> overrides) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : defaults) {
            byKey.put(key(e), e);
        }
        for (String e : overrides) {
            if (e.contains("=")) {
                byKey.put(key(e), e);
            } else {
                byKey.remove(e);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static String key(String e) {
        int eq = e.indexOf('=');
        return eq < 0 ? e : e.substring(0, eq);
    }

    private static List<String> checkEnv(List<String> env, String option) {
        for (String e : env) {
            if (e.isEmpty() || e.startsWith("=")) {
                throw JctrException.invalidArgument("%s \"%s\": want KEY=VALUE", option, e);
            }
        }
        return env;
    }

    /** An env file's KEY=VALUE lines ('#' comments and blank lines skipped), as containerd's WithEnvFile reads them. */
    static List<String> envFile(String contents) {
        List<String> out = new ArrayList<>();
        String[] lines = contents.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("=")) {
                throw JctrException.invalidArgument("--env-file line %d \"%s\": want KEY=VALUE", i + 1, line);
            }
            out.add(line);
        }
        return out;
    }

    private static void strings(ArrayNode to, List<String> values) {
        values.forEach(to::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode load() {
        try (InputStream in = SpecGenerator.class.getResourceAsStream("default-spec.json")) {
            if (in == null) {
                throw new IllegalStateException("default-spec.json is missing from the class path");
            }
            return SpecJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read default-spec.json", e);
        }
    }
}
