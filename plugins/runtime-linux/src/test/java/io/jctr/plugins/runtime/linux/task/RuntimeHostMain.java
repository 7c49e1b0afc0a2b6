package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.nio.file.Path;
import java.util.List;

/**
 * A daemon stand-in for {@link ShimSurvivalTest}: a JVM of its own that creates and starts
 * tasks through a {@link LinuxRuntime}, says {@code ready}, and waits to be killed.
 *
 * <pre>
 * java -cp CLASSPATH io.jctr.plugins.runtime.linux.task.RuntimeHostMain STATE NAMESPACE ID=BUNDLE=STDOUT...
 * </pre>
 */
public final class RuntimeHostMain {

    private RuntimeHostMain() {
    }

    public static void main(String[] args) throws Exception {
        LinuxRuntime runtime = new LinuxRuntime(Path.of(args[0]), w -> System.err.println("warning: " + w));
        for (int i = 2; i < args.length; i++) {
            String[] t = args[i].split("=", 3);
            TaskRef ref = new TaskRef(args[1], t[0]);
            runtime.create(new CreateRequest(ref, Path.of(t[1]), List.of(), new Stdio("", t[2], "", false)));
            System.out.println("started " + t[0] + " " + runtime.start(ref, null));
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
