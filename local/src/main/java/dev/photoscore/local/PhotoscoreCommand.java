package dev.photoscore.local;

import dev.photoscore.scoring.DjlDefaults;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar photoscore.jar COMMAND ...}: the command line of photoscore. */
@Command(name = "photoscore",
        mixinStandardHelpOptions = true,
        versionProvider = PhotoscoreCommand.Version.class,
        description = "Photo quality scoring: score photos, serve the API locally, administer tenants, report billing, build model packs, run the Lambda functions on events.",
        subcommands = {ScoreCommand.class, EvaluateCommand.class, ServeCommand.class, TenantsCommand.class, PackCommand.class, BillingCommand.class, InvokeCommand.class, dev.photoscore.training.TrainQualityModel.class, CommandLine.HelpCommand.class})
public final class PhotoscoreCommand {

    public static void main(String[] args) {
        DjlDefaults.apply();
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new PhotoscoreCommand())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("photoscore: " + e.getMessage());
                    return 2;
                })
                .execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PhotoscoreCommand.class.getPackage().getImplementationVersion();
            return new String[] {"photoscore " + (version == null ? "(development build)" : version)};
        }
    }
}
