package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.ExecOptions;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.launch.Launched;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec [flags] ID [COMMAND [ARG...]]}: another process in the container, from
 * {@code --process process.json} or from the container's own process with the command line's
 * changes (runc's rules: args replaced, env appended, caps added to every set but inheritable,
 * terminal only with {@code -t}). In the foreground the exit code is the process's; a failure
 * to start it exits 255 as runc's {@code exec failed}.
 */
final class ExecCommand extends RuncCommand {

    ExecCommand() {
        super(1, -1, false);
    }

    private static final ObjectMapper MAPPER = GoJson.MAPPER;

    @Override
    FlagSet flags() {
        return new FlagSet().value("console-socket").value("cwd").value("env", "e").bool("tty", "t")
                .value("user", "u").value("additional-gids", "g").value("process", "p").bool("detach", "d")
                .value("pid-file").value("process-label").value("apparmor").bool("no-new-privs")
                .value("cap", "c").value("preserve-fds").value("cgroup").bool("ignore-paused");
    }

    @Override
    int run(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        Launched launched;
        try {
            Map<String, String> subCgroups = subCgroups(f.all("cgroup"));
            byte[] process = process(call);
            String console = f.get("console-socket", "");
            launched = call.containers().exec(call.id(), process, new ExecOptions(
                    console.isEmpty() ? null : call.path(console),
                    f.given("pid-file") ? call.path(f.get("pid-file", "")) : null,
                    f.has("detach"), CreateCommand.preserveFds(f), f.has("ignore-paused"), subCgroups));
        } catch (JctrException | IOException e) {
            call.log().error("exec failed: " + e.getMessage());
            return 255;
        }
        if (f.has("detach")) {
            return 0;
        }
        try {
            return launched.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the exec'd process", e);
        }
    }

    /** {@code --cgroup [CONTROLLER[,CONTROLLER]:]PATH}, repeatable; a bare path only alone. */
    private static Map<String, String> subCgroups(List<String> values) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String v : values) {
            String[] parts = v.split(":", -1);
            if (parts.length > 2) {
                throw JctrException.invalidArgument("invalid --cgroup argument: %s", v);
            }
            if (parts.length == 1) {
                if (values.size() != 1) {
                    throw JctrException.invalidArgument("invalid --cgroup argument: %s (missing <controller>: prefix)", v);
                }
                paths.put("", v);
            } else {
                for (String controller : parts[0].split(",")) {
                    paths.put(controller, parts[1]);
                }
            }
        }
        return paths;
    }

    private static byte[] process(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        if (f.given("process")) {
            try {
                return Files.readAllBytes(call.path(f.get("process", "")));
            } catch (NoSuchFileException e) {
                throw JctrException.notFound("process file %s does not exist", e.getFile());
            }
        }
        if (f.args().size() == 1) {
            throw JctrException.invalidArgument("process args cannot be empty");
        }
        JsonNode config = MAPPER.readTree(Files.readAllBytes(call.containers().store().config(call.id())));
        ObjectNode p = config.get("process") instanceof ObjectNode o ? o.deepCopy() : MAPPER.createObjectNode();
        ArrayNode args = p.putArray("args");
        f.args().subList(1, f.args().size()).forEach(args::add);
        if (!f.get("cwd", "").isEmpty()) {
            p.put("cwd", f.get("cwd", ""));
        }
        if (!f.get("apparmor", "").isEmpty()) {
            p.put("apparmorProfile", f.get("apparmor", ""));
        }
        if (!f.get("process-label", "").isEmpty()) {
            p.put("selinuxLabel", f.get("process-label", ""));
        }
        List<String> caps = f.all("cap");
        if (!caps.isEmpty()) {
            ObjectNode sets = p.get("capabilities") instanceof ObjectNode o ? o : p.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
                ArrayNode a = sets.get(set) instanceof ArrayNode existing ? existing : sets.putArray(set);
                caps.forEach(a::add);
            }
        }
        ArrayNode env = p.get("env") instanceof ArrayNode e ? e : p.putArray("env");
        f.all("env").forEach(env::add);
        p.put("terminal", f.has("tty"));
        if (f.given("no-new-privs")) {
            p.put("noNewPrivileges", f.has("no-new-privs"));
        }
        ObjectNode user = p.get("user") instanceof ObjectNode u ? u : p.putObject("user");
        if (!f.get("user", "").isEmpty()) {
            String[] ug = f.get("user", "").split(":", 2);
            user.put("uid", number(ug[0], "uid"));
            if (ug.length > 1) {
                user.put("gid", number(ug[1], "gid"));
            }
        }
        if (!f.all("additional-gids").isEmpty()) {
            ArrayNode gids = user.get("additionalGids") instanceof ArrayNode g ? g : user.putArray("additionalGids");
            for (String g : f.all("additional-gids")) {
                long gid = number(g, "additional gid");
                gids.add(gid);
            }
        }
        return MAPPER.writeValueAsBytes(p);
    }

    private static long number(String text, String what) {
        try {
            long v = Long.parseLong(text);
            if (v < 0 || v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("parsing %s as int for %s failed", text, what);
        }
    }
}
