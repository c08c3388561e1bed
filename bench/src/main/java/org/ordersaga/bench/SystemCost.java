package org.ordersaga.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the whole system spent over a measured window: the CPU of every process, what the Temporal SDK did in each
 * JVM that runs it, and PostgreSQL's commits and rows written.
 */
final class SystemCost implements OpenLoop.Meter {

    /** One window's figures. */
    record Spent(
            Instant from,
            Instant to,
            Map<String, Resources.Usage> processes,
            Map<String, SdkMetrics.Window> sdk,
            DatabaseActivity.Window database) {

        @JsonProperty
        double cpuSeconds() {
            return Resources.totalCpuSeconds(processes);
        }

        @JsonProperty
        double jitCpuSeconds() {
            return Resources.totalJitCpuSeconds(processes);
        }
    }

    private final Map<String, Long> pids;
    private final Map<String, Supplier<String>> sdkScrapes;
    private final String jdbcUrl;
    private Instant from;
    private Resources resources;
    private Map<String, String> sdkBefore;
    private DatabaseActivity database;
    private Spent spent;

    /**
     * @param pids every process, by name
     * @param sdkScrapes the Prometheus text of each process that runs the Temporal SDK, by name; read once here, so
     *     that a cold endpoint's first answer does not hold up a window's start
     * @param jdbcUrl the database the services write to
     */
    SystemCost(Map<String, Long> pids, Map<String, Supplier<String>> sdkScrapes, String jdbcUrl) {
        this.pids = pids;
        this.sdkScrapes = sdkScrapes;
        this.jdbcUrl = jdbcUrl;
        scrapeAll();
    }

    /** CPU first, as close to the window's edge as can be; the rest is read after it. */
    @Override
    public void begin() {
        from = Instant.now();
        resources = Resources.measure(pids);
        sdkBefore = scrapeAll();
        database = DatabaseActivity.begin(jdbcUrl);
    }

    @Override
    public void end() {
        Instant to = Instant.now();
        Map<String, Resources.Usage> processes = resources.stop();
        Map<String, String> sdkAfter = scrapeAll();
        Map<String, SdkMetrics.Window> sdk = new LinkedHashMap<>();
        sdkBefore.forEach((name, before) -> sdk.put(name, SdkMetrics.between(before, sdkAfter.get(name))));
        spent = new Spent(from, to, processes, sdk, database.end());
    }

    /** Every process's Prometheus text, read side by side. */
    private Map<String, String> scrapeAll() {
        ExecutorService scrapers = Executors.newFixedThreadPool(Math.max(1, sdkScrapes.size()));
        try {
            Map<String, Future<String>> scrapes = new LinkedHashMap<>();
            sdkScrapes.forEach((name, scrape) -> scrapes.put(name, scrapers.submit(scrape::get)));
            Map<String, String> texts = new LinkedHashMap<>();
            for (Map.Entry<String, Future<String>> scrape : scrapes.entrySet()) {
                texts.put(scrape.getKey(), scrape.getValue().get(30, TimeUnit.SECONDS));
            }
            return texts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading /prometheus", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read a process's /prometheus", e);
        } finally {
            scrapers.shutdownNow();
        }
    }

    /** The last window measured. */
    Spent spent() {
        return spent;
    }
}
