package dev.photoscore.scoring;

import java.nio.file.Path;

/**
 * DJL's process-wide settings, for a composition root (a Lambda handler, a command line, a service's main) to apply
 * before the first model loads: nothing is downloaded at run time, and DJL's caches go where Lambda can write (the
 * temporary folder, /tmp), not the home folder. A setting already given as a system property or an environment
 * variable is kept.
 */
public final class DjlDefaults {

    private DjlDefaults() {
    }

    public static void apply() {
        Path djlCache = Path.of(System.getProperty("java.io.tmpdir"), "djl");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", djlCache.toString());
        setIfAbsent("ENGINE_CACHE_DIR", djlCache.toString());
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && System.getenv(property) == null) {
            System.setProperty(property, value);
        }
    }
}
