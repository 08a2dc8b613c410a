package dev.photoscore.fetch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * URL parsing on any string: a canonical http(s) URL or an INVALID_URL refusal, nothing else. The canonical form is
 * a fixed point (parsing it again gives it back, with the same address), so no later component can read a different
 * host into it than the one the address policy judged. The input is the URL, UTF-8.
 */
class TargetUrlFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String url = new String(input, StandardCharsets.UTF_8);
        TargetUrl target;
        try {
            target = TargetUrl.parse(url);
        } catch (FetchException e) {
            if (e.reason() != FetchException.Reason.INVALID_URL) {
                throw new AssertionError(e.reason() + ": " + e.getMessage(), e);
            }
            return;
        }
        String scheme = target.uri().getScheme();
        if (!scheme.equals("http") && !scheme.equals("https") || target.uri().getHost() == null
                && target.literal().isEmpty()) {
            throw new AssertionError("not an http(s) URL with a host: " + target + " from " + url);
        }
        TargetUrl again;
        try {
            again = TargetUrl.parse(target.toString());
        } catch (FetchException e) {
            throw new AssertionError("the canonical form " + target + " of " + url + " does not parse", e);
        }
        if (!again.toString().equals(target.toString()) || !again.literal().equals(target.literal())) {
            throw new AssertionError(url + " became " + target + ", then " + again);
        }
    }
}
