package io.giantvm.engine.cli;

import io.giantvm.engine.guest.InvalidWorkloadSpecException;
import io.giantvm.engine.config.VmDescriptionException;
import io.giantvm.engine.kvm.KvmUnavailableException;
import io.giantvm.engine.mesh.MeshException;
import io.giantvm.engine.vm.VmConfigurationException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the {@code giantvm} command. Mistakes a user can make end with one line on
 * stderr and exit code 2; a guest that fails ends with 1; anything else is a bug and keeps its
 * stack trace.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            usage: giantvm <command> [options]
              run     boot the bundled test guest with a workload on this host (one process, or --nodes N)
              node    run one node of a distributed VM from a VM description (what a pod runs)
              bench   run a benchmark that prints its figures
              help    show this text
            """ + RunCommand.USAGE + "\n" + LinuxRunCommand.USAGE + "\n" + NodeCommand.USAGE + "\n" + BenchCommand.USAGE;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs one command; returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("giantvm: no command given (try: giantvm run, or giantvm help)");
            return EXIT_USAGE;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "run" -> RunCommand.execute(rest, out, err);
                case "node" -> NodeCommand.execute(rest, out, err);
                case "bench" -> BenchCommand.execute(rest, out, err);
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield EXIT_OK;
                }
                default -> throw new UsageException("unknown command '" + command + "' (commands: run, node, bench, help)");
            };
        } catch (UsageException | InvalidWorkloadSpecException | VmConfigurationException | KvmUnavailableException
                 | VmDescriptionException e) {
            err.println("giantvm: " + e.getMessage());
            return EXIT_USAGE;
        } catch (java.io.UncheckedIOException e) { // e.g. the control port is taken: the environment, not a bug
            err.println("giantvm: " + e.getMessage());
            return EXIT_FAILED;
        } catch (MeshException e) { // the other nodes never came, or a port is taken: not a bug, but not a usage error
            err.println("giantvm: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("giantvm: interrupted");
            return EXIT_FAILED;
        }
    }
}
