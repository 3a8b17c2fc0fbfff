package dev.twoliter.engine.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The identity of a process that owns something other builds might find (a temporary in a shared
 * cache, a container): this host's name, its pid and its start. A later build calls the thing a
 * leftover only when that exact process is gone, so nothing a running build still uses is touched.
 *
 * <p>The start is read from {@code /proc/<pid>/stat} (clock ticks since boot), which never changes
 * while the process runs. The JDK's start instant adds the boot time as each JVM read it when it
 * started, and that boot time moves when the system clock is stepped (a virtual machine resumed
 * from a snapshot, a time daemon correcting a large offset): two builds would then disagree about
 * the same live process and one would sweep the other's files. Without {@code /proc} (macOS) the
 * start instant is all there is.
 */
public final class ProcessOwner {
    private static volatile String host;

    private ProcessOwner() {}

    /** This process, as {@code host/pid/start} (the form container labels carry). */
    public static String self() {
        long pid = ProcessHandle.current().pid();
        return host() + "/" + pid + "/" + startOf(pid).orElse(0L);
    }

    /** True if {@code label} (as made by {@link #self()}) names a process of this host that is gone. */
    public static boolean isDeadLabel(String label) {
        String[] parts = label.split("/");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return false;
        }
        try {
            return isGone(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** This host's name, safe in file names and labels. */
    public static String host() {
        String h = host;
        if (h == null) {
            String raw;
            try {
                raw = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException e) {
                raw = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
            }
            h = raw.replaceAll("[^A-Za-z0-9-]", "-");
            if (h.isEmpty()) {
                h = "localhost";
            }
            host = h;
        }
        return h;
    }

    /** The start of process {@code pid}, in a unit that stays put while it runs; empty if no such process. */
    public static OptionalLong startOf(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                return OptionalLong.of(startTicks(Files.readString(stat, StandardCharsets.US_ASCII)));
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        }
        Optional<Instant> started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
        return started.map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
    }

    /** True if no process with this pid runs, or the one that does started at another time (the pid was reused). */
    public static boolean isGone(long pid, long start) {
        OptionalLong actual = startOf(pid);
        if (actual.isEmpty()) {
            // unreadable (another user's process under hidepid, say): gone only if it does not run
            return ProcessHandle.of(pid).isEmpty();
        }
        return actual.getAsLong() != start;
    }

    /**
     * Field 22 of {@code /proc/<pid>/stat}. The command name (field 2) is in parentheses and may hold
     * spaces and parentheses itself, so fields are counted from the last closing parenthesis.
     */
    static long startTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[22 - 3]);
    }
}
