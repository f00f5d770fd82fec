package dev.flowgraph.store;

import dev.flowgraph.core.store.StoreHealth;
import dev.flowgraph.core.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What went wrong with the database, counted: each failure is counted, logged at most once a minute (the rest at
 * DEBUG), and when it answers again that is logged once. While it is known to be away, reads fail at once for a few
 * seconds instead of each waiting for a connection, so requests are not held up by a database that is down.
 */
final class StoreFaults {
    private static final Logger log = LoggerFactory.getLogger("dev.flowgraph.store");
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final String shownUrl;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean available = true;
    private volatile long lastFailure;
    private volatile long lastLogged = System.nanoTime() - LOG_EVERY_NANOS;

    StoreFaults(String shownUrl) {
        this.shownUrl = shownUrl;
    }

    void failed(String what, Exception e) {
        failures.incrementAndGet();
        available = false;
        lastFailure = System.nanoTime();
        if (System.nanoTime() - lastLogged >= LOG_EVERY_NANOS) {
            lastLogged = System.nanoTime();
            log.warn("store {}: {} failed ({} failure(s) so far; runs are served meanwhile, logged again in a minute "
                    + "at the most): {}", shownUrl, what, failures.get(), e.getMessage());
        } else {
            log.debug("store {}: {} failed: {}", shownUrl, what, e.getMessage());
        }
    }

    void worked() {
        if (!available) {
            available = true;
            log.info("store {} answers again", shownUrl);
        }
    }

    void dropped(long n) {
        dropped.addAndGet(n);
    }

    /** Fails at once while the database was away a moment ago; after that, lets one try through. */
    void checkAvailable(String what) {
        if (!available && System.nanoTime() - lastFailure < RETRY_AFTER_NANOS) {
            throw new StoreUnavailableException("store " + shownUrl + " is unavailable (" + what + " not tried)", null);
        }
    }

    StoreHealth health() {
        return new StoreHealth(available, failures.get(), dropped.get());
    }
}
