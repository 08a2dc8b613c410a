package dev.photoscore.scoring;

import dev.photoscore.image.DecodedPhoto;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The queue behind {@link MicroBatching}: callers put a decoded photo in and wait for its score; worker threads
 * gather batches and score each with one call per model. One worker gathers at a time (so concurrent photos land in
 * the same batch rather than in one batch per worker) while the others score the batches gathered before; the
 * number of workers is the number of batches in flight.
 */
final class MicroBatcher implements AutoCloseable {

    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final Function<List<DecodedPhoto>, List<PhotoScore>> scoreBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock gathering = new ReentrantLock();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong photos = new AtomicLong();
    private volatile boolean closed;

    MicroBatcher(MicroBatching settings, int workerCount, Function<List<DecodedPhoto>, List<PhotoScore>> scoreBatch) {
        this.maxBatchSize = settings.maxBatchSize();
        this.maxWaitNanos = settings.maxWait().toNanos();
        this.scoreBatch = scoreBatch;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::work, "photoscore-batch-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    private record Pending(DecodedPhoto photo, CompletableFuture<PhotoScore> score) {
    }

    /** The photo's score, once the batch it joined has been scored. */
    PhotoScore score(DecodedPhoto photo) {
        if (closed) {
            throw new ScorerUnavailableException("the scorer is closed");
        }
        Pending pending = new Pending(photo, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.score().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScorerUnavailableException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new ScorerUnavailableException("scoring the batch failed: " + e.getCause(), e.getCause());
        }
    }

    MicroBatching.Stats stats() {
        return new MicroBatching.Stats(batches.get(), photos.get());
    }

    private void work() {
        while (!closed) {
            List<Pending> batch;
            try {
                batch = gather();
            } catch (InterruptedException e) {
                return;
            }
            score(batch);
        }
    }

    /** Waits for a first photo, then takes others until the batch is full or the first has waited long enough. */
    private List<Pending> gather() throws InterruptedException {
        gathering.lockInterruptibly();
        try {
            List<Pending> batch = new ArrayList<>(maxBatchSize);
            batch.add(queue.take());
            long deadline = System.nanoTime() + maxWaitNanos;
            queue.drainTo(batch, maxBatchSize - batch.size());
            while (batch.size() < maxBatchSize) {
                Pending next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.add(next);
                queue.drainTo(batch, maxBatchSize - batch.size());
            }
            return batch;
        } finally {
            gathering.unlock();
        }
    }

    private void score(List<Pending> batch) {
        try {
            List<PhotoScore> scores = scoreBatch.apply(batch.stream().map(Pending::photo).toList());
            batches.incrementAndGet();
            photos.addAndGet(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).score().complete(scores.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.score().completeExceptionally(e));
        }
    }

    /** Stops the workers; photos still waiting fail. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ScorerUnavailableException closing = new ScorerUnavailableException("the scorer is closed");
        for (Pending pending = queue.poll(); pending != null; pending = queue.poll()) {
            pending.score().completeExceptionally(closing);
        }
    }
}
