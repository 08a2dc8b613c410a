package dev.photoscore.quality.flags;

/**
 * A defect that makes a photo "very bad" whatever else it has going for it, with the name the API answers and a hint
 * the user can act on. Declared in the order flags are reported.
 */
public enum PhotoFlag {

    BLURRED("blurred", "The photo is blurred: hold the camera steady and tap the subject to focus before shooting."),
    OVEREXPOSED("overexposed",
            "The photo is overexposed: avoid shooting into bright light, or tap the brightest area to expose for it."),
    UNDEREXPOSED("underexposed", "The photo is too dark: add light or move closer to it, or turn on the flash."),
    NOISY("noisy", "The photo is grainy: shoot with more light and keep the camera steady instead of zooming in."),
    COMPRESSED("compressed",
            "The photo is heavily compressed: upload the original file instead of one saved from a message or web page."),
    UPSCALED("upscaled", "The photo was enlarged from a small image: upload the original."),
    SCREENSHOT("screenshot", "This looks like a screenshot of text, not a photo: upload the photo itself."),
    COLLAGE("collage", "This looks like a collage: upload the photos one by one.");

    private final String jsonName;
    private final String hint;

    PhotoFlag(String jsonName, String hint) {
        this.jsonName = jsonName;
        this.hint = hint;
    }

    /** The stable name in API answers, e.g. {@code blurred}. */
    public String jsonName() {
        return jsonName;
    }

    /** One sentence for the user: what is wrong and what to do about it. */
    public String hint() {
        return hint;
    }
}
