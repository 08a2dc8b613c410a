package dev.photoscore.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The note of a running serve: written whole, removed only by its writer, found only while its process lives. */
class RunningServiceTest {

    @TempDir
    Path tmp;

    static final URI API = URI.create("http://127.0.0.1:8080");
    static final URI DYNAMODB = URI.create("http://127.0.0.1:41234");

    @Test
    void aNoteOfThisProcessIsFoundAndRemovedByIt() throws Exception {
        Path file = tmp.resolve(".photoscore").resolve(RunningService.FILE_NAME);
        RunningService note = new RunningService(ProcessHandle.current().pid(), API, DYNAMODB);
        note.write(file);
        assertEquals(note, RunningService.find(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no partial file left beside the note");
        }

        new RunningService(note.pid() + 1, API, DYNAMODB).removeFrom(file);
        assertTrue(Files.exists(file), "a note is removed only by the serve that wrote it");
        note.removeFrom(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void withoutANoteOrWithAStaleOneFindSaysWhatToDo() throws Exception {
        Path file = tmp.resolve(RunningService.FILE_NAME);
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> RunningService.find(file));
        assertTrue(none.getMessage().startsWith("no local service is running (" + file + " does not exist): start"
                + " one with 'java -jar local/target/photoscore.jar serve', or give --endpoint URL"), none.getMessage());

        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        new RunningService(gone.pid(), API, DYNAMODB).write(file);
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> RunningService.find(file));
        assertEquals("the local service noted in " + file + " (process " + gone.pid() + ") is no longer running:"
                + " start serve again, or give --endpoint URL", stale.getMessage());

        Files.writeString(file, "{\"pid\": 1}");
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> RunningService.find(file));
        assertTrue(broken.getMessage().contains("is not a note of a running serve"), broken.getMessage());
    }
}
