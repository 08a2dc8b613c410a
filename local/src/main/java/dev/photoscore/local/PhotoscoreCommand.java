package dev.photoscore.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar photoscore.jar COMMAND ...}: the command line of photoscore. */
@Command(name = "photoscore",
        mixinStandardHelpOptions = true,
        versionProvider = PhotoscoreCommand.Version.class,
        description = "Photo quality scoring: score photos, build model packs.",
        subcommands = {ScoreCommand.class, PackCommand.class, BillingCommand.class, CommandLine.HelpCommand.class})
public final class PhotoscoreCommand {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new PhotoscoreCommand())
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
