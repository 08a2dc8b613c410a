package dev.photoscore.api;

import java.util.Optional;

/**
 * Paths a deployment answers beside the quality API, through the same handler (the demo page): {@link QualityApi}
 * asks them first, and gives every answer its request id and log line as it does its own.
 */
@FunctionalInterface
public interface Routes {

    /** No paths of their own: the API alone. */
    Routes NONE = request -> Optional.empty();

    /**
     * The answer for a path these routes serve; empty for any other path, which the API answers.
     *
     * @throws ApiException for a path they serve but a request they refuse (answered as the API's JSON error)
     */
    Optional<ApiResponse> answer(ApiRequest request);
}
