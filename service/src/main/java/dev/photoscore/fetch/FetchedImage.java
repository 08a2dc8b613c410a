package dev.photoscore.fetch;

import dev.photoscore.image.PhotoFormat;

/**
 * The body of a fetched image URL, whose leading bytes say it is a {@link PhotoFormat}; the bytes are not decoded.
 *
 * @param bytes the whole body, at most the fetcher's byte limit; owned by the caller
 * @param type the format its magic bytes announce
 */
public record FetchedImage(byte[] bytes, PhotoFormat type) {}
