package dev.photoscore.local.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The note a running {@code serve} keeps in {@value #FILE_NAME} under {@code ~/.photoscore/}: its process id, its API
 * and its DynamoDB Local endpoint, so that the {@code tenants} and {@code billing} commands find that DynamoDB Local
 * with {@code --local} instead of a port the user must look up. Written when the service is up, removed when it stops
 * (a note left behind by a killed process is recognised by its process id and reported as stale).
 *
 * <p>In the user's home folder, not the shared temporary folder: another user of the machine must not be able to
 * point this user's commands at a database of theirs. One note: the latest {@code serve} started wins, and only the
 * process that wrote the note removes it.
 *
 * @param pid      the serving process
 * @param api      the service's base URL
 * @param dynamoDb its DynamoDB Local endpoint
 */
public record RunningService(long pid, URI api, URI dynamoDb) {

    public static final String FILE_NAME = "serve.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunningService {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
    }

    /** This process's note for a deployment. */
    public static RunningService of(LocalDeployment deployment) {
        return new RunningService(ProcessHandle.current().pid(), deployment.baseUrl(), deployment.dynamoDbEndpoint());
    }

    /** {@code ~/.photoscore/serve.json} (the JVM's {@code user.home}). */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".photoscore", FILE_NAME);
    }

    /** Writes the note (whole or not at all: a reader never sees half of it). */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), FILE_NAME, ".partial");
            Files.write(partial, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.createObjectNode()
                    .put("pid", pid).put("api", api.toString()).put("dynamoDb", dynamoDb.toString())));
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes the note if it is still this one's (a later {@code serve} may have replaced it). */
    public void removeFrom(Path file) {
        try {
            if (read(file).filter(this::equals).isPresent()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // Stopping anyway: a note left behind names a process that is gone, which readers report as stale.
        }
    }

    /** The note in {@code file}, if there is one. */
    public static Optional<RunningService> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode note = JSON.readTree(file.toFile());
        if (!note.path("pid").canConvertToLong() || !note.path("api").isTextual() || !note.path("dynamoDb").isTextual()) {
            throw new IOException(file + " is not a note of a running serve (pid, api, dynamoDb)");
        }
        return Optional.of(new RunningService(note.path("pid").asLong(), URI.create(note.path("api").asText()),
                URI.create(note.path("dynamoDb").asText())));
    }

    /**
     * The running service the note in {@code file} names.
     *
     * @throws IllegalStateException with what to do, when there is no note or its process has stopped
     */
    public static RunningService find(Path file) {
        Optional<RunningService> note;
        try {
            note = read(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        RunningService service = note.orElseThrow(() -> new IllegalStateException("no local service is running ("
                + file + " does not exist): start one with 'java -jar local/target/photoscore.jar serve', or give"
                + " --endpoint URL"));
        if (ProcessHandle.of(service.pid()).filter(ProcessHandle::isAlive).isEmpty()) {
            throw new IllegalStateException("the local service noted in " + file + " (process " + service.pid()
                    + ") is no longer running: start serve again, or give --endpoint URL");
        }
        return service;
    }
}
