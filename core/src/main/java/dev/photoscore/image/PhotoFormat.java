package dev.photoscore.image;

import java.util.Optional;

/** The photo formats the service takes, recognised by their magic bytes, never by a name or a content type. */
public enum PhotoFormat {
    JPEG("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    PNG("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});

    /** How many leading bytes {@link #detect} needs to tell every format apart. */
    public static final int MAGIC_LENGTH = 8;

    private final String mediaType;
    private final byte[] magic;

    PhotoFormat(String mediaType, byte[] magic) {
        this.mediaType = mediaType;
        this.magic = magic;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format whose magic bytes start {@code bytes}, if any. */
    public static Optional<PhotoFormat> detect(byte[] bytes) {
        for (PhotoFormat format : values()) {
            if (format.matches(bytes)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    private boolean matches(byte[] bytes) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
