package org.ordersaga.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Where the run is: on a terminal, one line redrawn four times a second (a bar over the whole run's planned time,
 * the time left and what is running now); in a log, the same as a line of its own every ten seconds.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long planned;
    private final long started = System.nanoTime();
    private final Thread painter;
    private volatile String phase = "starting";

    Progress(Duration planned, PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.planned = planned.toNanos();
        painter = new Thread(this::paint, "progress");
        painter.setDaemon(true);
        painter.start();
    }

    void phase(String text) {
        phase = text;
    }

    /** Prints a line of its own (on a terminal, above the bar). */
    synchronized void say(String line) {
        if (terminal) {
            out.print("\r\033[K" + line + "\n");
            draw();
        } else {
            out.println(line);
        }
    }

    @Override
    public void close() {
        painter.interrupt();
        synchronized (this) {
            if (terminal) {
                out.print("\r\033[K");
            }
            out.flush();
        }
    }

    private void paint() {
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                draw();
            }
            try {
                Thread.sleep(terminal ? 250 : 10_000);
            } catch (InterruptedException closed) {
                return;
            }
        }
    }

    private void draw() {
        long elapsed = System.nanoTime() - started;
        double done = Math.min(0.99, (double) elapsed / planned);
        long left = Math.max(0, (planned - elapsed) / 1_000_000_000L);
        String status = String.format("%3d%%  ~%d:%02d left  %s", (int) (done * 100), left / 60, left % 60, phase);
        if (terminal) {
            int filled = (int) (done * WIDTH);
            out.print("\r\033[K[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + status);
        } else {
            out.println(status);
        }
        out.flush();
    }
}
