package io.jctr.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr completion bash|zsh}: the completion script picocli generates from the command
 * tree itself ({@link AutoComplete}), so it never lags the commands. picocli's script is for
 * bash; zsh runs it through its bashcompinit layer, which the zsh form loads first.
 */
@Command(name = "completion", description = "Print a shell completion script: source <(jctr completion bash)")
class CompletionCommand implements Runnable {

    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public void run() {
        CommandLine all = JctrCommand.withSubcommands(new CommandLine(new JctrCommand()), null);
        String script = AutoComplete.bash("jctr", all);
        if (shell == Shell.zsh) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
