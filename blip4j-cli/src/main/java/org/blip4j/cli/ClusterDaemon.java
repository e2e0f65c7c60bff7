package org.blip4j.cli;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Spark standalone master or worker ({@code args[1]}: its main class; the rest: its arguments) with a
 * lifetime: after {@code args[0]} minutes the JVM exits by itself, so a cluster nobody stopped does not outlive
 * its purpose. Started by {@code blip cluster start}; its pid is the JVM's, so SIGKILL hits the worker itself.
 */
public final class ClusterDaemon {
    private ClusterDaemon() {
    }

    public static void main(String[] args) throws Exception {
        long minutes = Long.parseLong(args[0]);
        Thread reaper = new Thread(() -> {
            try {
                TimeUnit.MINUTES.sleep(minutes);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("blip cluster: lifetime of " + minutes + " min reached, exiting");
            Runtime.getRuntime().halt(0);
        }, "blip4j-cluster-lifetime");
        reaper.setDaemon(true);
        reaper.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
