package dev.photoscore.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback interface in front of an AWS JSON service (DynamoDB Local) that loses, on purpose, the
 * requests or answers of one operation (by its {@code X-Amz-Target}): what a client sees when the network or the
 * store fails between its write and the answer. Everything else passes through unchanged, byte for byte. HTTP/1.1
 * messages are delimited by Content-Length or chunked encoding, one exchange after the other on each connection.
 */
public final class LossyProxy implements AutoCloseable {

    /** What happens to a request of the faulty operation. */
    public enum Fault {
        /** Passes. */
        NONE,
        /** Forwarded and done (its answer read from the store), then the connection stays silent until the client
         * gives up. */
        ANSWER_LOST,
        /** Forwarded and done, then the client's connection is reset. */
        ANSWER_CUT,
        /** Never forwarded; the connection stays silent until the client gives up. */
        REQUEST_LOST,
        /** Held until the client gave up, then forwarded {@link #LATE_BY} later: a write that arrives late. */
        REQUEST_LATE
    }

    /** How long after its client gave up a {@link Fault#REQUEST_LATE} request reaches the store. */
    public static final Duration LATE_BY = Duration.ofSeconds(5);
    /** Longest a silent connection is held for a client that does not give up. */
    private static final int HOLD_MILLIS = 60_000;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private final ServerSocket listener;
    private final int targetPort;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "lossy-proxy");
        thread.setDaemon(true);
        return thread;
    });
    /** Late requests not yet answered by the store. */
    private final Phaser late = new Phaser(1);
    private final AtomicInteger faulted = new AtomicInteger();
    /** Fault by the lower-cased operation name. */
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();

    private LossyProxy(URI target) throws IOException {
        this.targetPort = target.getPort();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::accept);
    }

    /** A proxy to {@code http://127.0.0.1:PORT}; every exchange passes until {@link #fail} says otherwise. */
    public static LossyProxy to(URI target) {
        try {
            return new LossyProxy(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients connect instead of the target. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** From now on, requests of {@code operation} (their {@code X-Amz-Target}'s last part) suffer {@code fault}. */
    public void fail(String operation, Fault fault) {
        faults.put(operation.toLowerCase(Locale.ROOT), fault);
    }

    /** Every exchange passes again. */
    public void heal() {
        faults.clear();
    }

    /** How many requests suffered a fault so far. */
    public int faulted() {
        return faulted.get();
    }

    /** Waits until every {@link Fault#REQUEST_LATE} request so far has reached the store and been answered. */
    public void awaitLateRequests(Duration timeout) throws InterruptedException, TimeoutException {
        late.awaitAdvanceInterruptibly(late.arrive(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.execute(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket store = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            InputStream fromStore = new BufferedInputStream(store.getInputStream());
            OutputStream toStore = store.getOutputStream();
            for (byte[] request = message(fromClient); request != null; request = message(fromClient)) {
                Fault now = faults.getOrDefault(operationOf(request), Fault.NONE);
                if (now != Fault.NONE) {
                    faulted.incrementAndGet();
                }
                switch (now) {
                    case NONE -> {
                        toStore.write(request);
                        toClient.write(message(fromStore));
                    }
                    case ANSWER_LOST -> {
                        exchange(request, toStore, fromStore);
                        holdUntilGivenUp(client, fromClient);
                        return;
                    }
                    case ANSWER_CUT -> {
                        exchange(request, toStore, fromStore);
                        client.setSoLinger(true, 0); // closing now resets the connection
                        return;
                    }
                    case REQUEST_LOST -> {
                        holdUntilGivenUp(client, fromClient);
                        return;
                    }
                    case REQUEST_LATE -> {
                        late.register();
                        try {
                            holdUntilGivenUp(client, fromClient);
                            Thread.sleep(LATE_BY.toMillis());
                            exchange(request, toStore, fromStore);
                        } finally {
                            late.arriveAndDeregister();
                        }
                        return;
                    }
                    default -> throw new IllegalStateException(now.toString());
                }
            }
        } catch (IOException e) {
            // A side closed mid-exchange: the connection ends, as it would through a real network.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exchange(byte[] request, OutputStream toStore, InputStream fromStore) throws IOException {
        toStore.write(request);
        if (message(fromStore) == null) {
            throw new IOException("the store closed the connection without an answer");
        }
    }

    /** Reads (and drops) what the client sends until it closes the connection. */
    private static void holdUntilGivenUp(Socket client, InputStream fromClient) throws IOException {
        client.setSoTimeout(HOLD_MILLIS);
        try {
            while (fromClient.read() >= 0) {
                // discard
            }
        } catch (SocketException closedByClient) {
            // a reset: given up as well
        }
    }

    /** One HTTP/1.1 message, head and body, as it came; null at the end of the stream before a message. */
    private static byte[] message(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < HEAD_END.length) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    return null;
                }
                throw new IOException("the stream ended inside a message head");
            }
            raw.write(b);
            matched = b == HEAD_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String head = raw.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String length = header(head, "content-length");
        if (length != null) {
            raw.write(in.readNBytes(Integer.parseInt(length.trim())));
        } else if ("chunked".equals(header(head, "transfer-encoding"))) {
            for (int size = -1; size != 0; ) {
                String line = line(in);
                raw.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                size = Integer.parseInt(line.split(";")[0].trim(), 16);
                raw.write(in.readNBytes(size));
                if (size > 0) {
                    raw.write((line(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            for (String trailer = line(in); ; trailer = line(in)) {
                raw.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (trailer.isEmpty()) {
                    break;
                }
            }
        }
        return raw.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the stream ended inside a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** A header's value from a lower-cased head, or null. */
    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    /** {@code transactwriteitems} of {@code X-Amz-Target: DynamoDB_20120810.TransactWriteItems}. */
    private static String operationOf(byte[] request) {
        String target = header(new String(request, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT),
                "x-amz-target");
        return target == null ? "" : target.substring(target.lastIndexOf('.') + 1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connections.shutdownNow();
    }
}
