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
        return new RunOptions(List.of(), List.of(), "", List.of(), "", "", 0, 0, 0, "", "", false, false, List.of(), List.of(),
                Map.of(), false);
    }
}
