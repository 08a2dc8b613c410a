package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledPhotoTest {

    @TempDir
    Path folder;

    @Test
    void readsFilesAndScoresAfterTheHeader() throws IOException {
        Files.writeString(folder.resolve("labels.csv"), "file,score\nimages/a.jpg,75.5\n\nimages/b,c.png, 3\n");
        assertEquals(List.of(new LabelledPhoto("images/a.jpg", 75.5), new LabelledPhoto("images/b,c.png", 3)),
                LabelledPhoto.readLabels(folder));
    }

    @Test
    void malformedLabelsNameTheirLine() throws IOException {
        Files.writeString(folder.resolve("labels.csv"), "file,score\na.jpg,1\nb.jpg,high\n");
        IOException e = assertThrows(IOException.class, () -> LabelledPhoto.readLabels(folder));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(folder.resolve("labels.csv"), "name,mos\na.jpg,1\n");
        assertThrows(IOException.class, () -> LabelledPhoto.readLabels(folder));
        Files.writeString(folder.resolve("labels.csv"), "file,score\n");
        assertThrows(IOException.class, () -> LabelledPhoto.readLabels(folder));
    }
}
