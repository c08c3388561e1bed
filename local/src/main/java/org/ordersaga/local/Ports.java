package org.ordersaga.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports: a free one, whether one is taken, whether something listens. */
public final class Ports {

    private Ports() {}

    /** A port nothing listens on right now, picked by the OS. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** A port nothing listens on right now, at random in {@code [from, to]}: for programs that take no other. */
    public static int freeBetween(int from, int to) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, to + 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free loopback port between " + from + " and " + to);
    }

    /** Fails with a message naming what the port is for and the option that moves it, when the port is taken. */
    public static void requireFree(int port, String purpose, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + purpose + ") is already in use on 127.0.0.1;"
                    + " stop what uses it or choose another with " + option + "=PORT");
        }
    }

    /** True when something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
