package org.ordersaga.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One line on the terminal, redrawn four times a second: a bar over the whole run's planned time, the time left and
 * what is running now.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long planned;
    private final long started = System.nanoTime();
    private final Thread painter;
    private volatile String phase = "starting";

    Progress(Duration planned, PrintStream out) {
        this.out = out;
        this.planned = planned.toNanos();
        painter = new Thread(this::paint, "progress");
        painter.setDaemon(true);
        painter.start();
    }

    void phase(String text) {
        phase = text;
    }

    /** Prints a line of its own above the bar. */
    synchronized void say(String line) {
        out.print("\r\033[K" + line + "\n");
        draw();
    }

    @Override
    public void close() {
        painter.interrupt();
        synchronized (this) {
            out.print("\r\033[K");
            out.flush();
        }
    }

    private void paint() {
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                draw();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException closed) {
                return;
            }
        }
    }

    private void draw() {
        long elapsed = System.nanoTime() - started;
        double done = Math.min(0.99, (double) elapsed / planned);
        int filled = (int) (done * WIDTH);
        long left = Math.max(0, (planned - elapsed) / 1_000_000_000L);
        out.printf(
                "\r\033[K[%s%s] %3d%%  ~%d:%02d left  %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), (int) (done * 100), left / 60, left % 60, phase);
        out.flush();
    }
}
