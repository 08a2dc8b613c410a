package dev.photoscore.fetch;

import java.util.Optional;

/** The image formats the API scores, recognised by their leading magic bytes. */
public enum ImageType {
  JPEG(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
  PNG(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});

  /** How many leading bytes {@link #sniff} needs to tell every type apart. */
  static final int SNIFF_LENGTH = 8;

  private final byte[] magic;

  ImageType(byte[] magic) {
    this.magic = magic;
  }

  /** The type whose magic bytes start {@code data[0, length)}, if any. */
  public static Optional<ImageType> sniff(byte[] data, int length) {
    for (ImageType type : values()) {
      if (type.startsOf(data, length)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  private boolean startsOf(byte[] data, int length) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (data[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
