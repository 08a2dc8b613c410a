package dev.photoscore.lambda;

import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.Priming;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's runtime hooks for a scoring function. Lambda initialises a published version once, calls
 * {@link #beforeCheckpoint} and snapshots the execution environment; every cold start then resumes a copy of that
 * snapshot and calls {@link #afterRestore}.
 *
 * <p>Before the snapshot: the models are loaded already (the scorer loads them when it is built, so ONNX Runtime's
 * native libraries are extracted and loaded); the whole scoring path runs on the bundled photos enough rounds for the
 * JIT to compile it ({@link Priming}); then each warm-up (a call that loads and exercises an SDK client: signing,
 * marshalling, its HTTP client) runs once, its failure tolerated, since the snapshot is worth taking regardless.
 * Open connections would be stale in every copy, so the URL fetcher's pool is emptied, and garbage is collected so
 * that it is not snapshotted.
 *
 * <p>After a restore, what must differ between copies or be fresh:
 * <ul>
 *   <li>random state: fresh bytes from the operating system are mixed into the JVM's shared {@code NativePRNG}
 *       state, which every {@code new SecureRandom()} on Linux uses (ClientSecrets', {@code UUID.randomUUID}'s).
 *       NativePRNG also XORs fresh /dev/urandom output into every result, so this is a second guarantee, not the
 *       only one;</li>
 *   <li>connections: the restore actions given (the URL fetcher's pool). The AWS SDK clients need none: they
 *       re-open connections that failed, and Lambda's documentation says connections the SDK opened during init
 *       resume;</li>
 *   <li>credentials: nothing to do. The SDK's default provider reads the function's role credentials from the
 *       environment Lambda sets up for each restored copy, and refreshes them before they expire.</li>
 * </ul>
 *
 * <p>Where no CRaC implementation is present (a plain JVM, the local service), {@link #register} is harmless and
 * the hooks never run; tests call them directly.
 */
public final class SnapStartPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final PhotoScorer scorer;
    private final int rounds;
    private final List<Step> warmUps;
    private final List<Step> restoreActions;

    private SnapStartPriming(Builder builder) {
        this.scorer = Objects.requireNonNull(builder.scorer, "scorer");
        this.rounds = builder.rounds;
        this.warmUps = List.copyOf(builder.warmUps);
        this.restoreActions = List.copyOf(builder.restoreActions);
    }

    /** Priming for this scorer; add the function's client warm-ups and restore actions. */
    public static Builder builder(PhotoScorer scorer) {
        return new Builder(scorer);
    }

    /**
     * Registers the hooks with the global CRaC context. The context may hold resources weakly: the caller keeps a
     * reference for as long as the function lives (a field of the handler).
     */
    public SnapStartPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        Priming.Report report = Priming.prime(scorer, rounds);
        LOG.info("SnapStart priming: {} photos scored in {} ms", report.photosScored(), report.took().toMillis());
        for (Step warmUp : warmUps) {
            runTolerated("warm-up", warmUp);
        }
        for (Step action : restoreActions) {
            runTolerated("pre-snapshot", action);
        }
        System.gc();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        reseedSecureRandom();
        for (Step action : restoreActions) {
            runTolerated("restore", action);
        }
    }

    private static void runTolerated(String phase, Step step) {
        long start = System.nanoTime();
        try {
            step.action().run();
            LOG.info("SnapStart {}: {} in {} ms", phase, step.name(), (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("SnapStart {}: {} failed, carrying on: {}", phase, step.name(), e.toString());
        }
    }

    /** Mixes 32 bytes from /dev/urandom into the JVM's shared NativePRNG state (what {@code new SecureRandom()} is). */
    static void reseedSecureRandom() {
        try {
            byte[] fresh = SecureRandom.getInstance("NativePRNGNonBlocking").generateSeed(32);
            new SecureRandom().setSeed(fresh);
        } catch (GeneralSecurityException e) {
            // Not Linux or another Unix (no NativePRNG): each SecureRandom there seeds itself, nothing is shared.
            LOG.debug("no NativePRNG to reseed: {}", e.getMessage());
        }
    }

    private record Step(String name, Runnable action) {
    }

    public static final class Builder {
        private final PhotoScorer scorer;
        private int rounds = Priming.DEFAULT_ROUNDS;
        private final List<Step> warmUps = new ArrayList<>();
        private final List<Step> restoreActions = new ArrayList<>();

        private Builder(PhotoScorer scorer) {
            this.scorer = scorer;
        }

        /** Rounds over the bundled photos (default {@link Priming#DEFAULT_ROUNDS}). */
        public Builder rounds(int rounds) {
            if (rounds < 0) {
                throw new IllegalArgumentException("rounds must not be negative");
            }
            this.rounds = rounds;
            return this;
        }

        /** A call made once before the snapshot to load and exercise a client; its failure is logged, not thrown. */
        public Builder warmUp(String name, Runnable call) {
            warmUps.add(new Step(name, call));
            return this;
        }

        /**
         * What must be renewed in each restored copy, such as a connection pool; it also runs before the snapshot,
         * so that nothing stale is snapshotted.
         */
        public Builder onRestore(String name, Runnable action) {
            restoreActions.add(new Step(name, action));
            return this;
        }

        public SnapStartPriming build() {
            return new SnapStartPriming(this);
        }
    }
}
