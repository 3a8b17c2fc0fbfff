package dev.twoliter.engine.kit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one build at a time repair cached copies in a kit cache, among the threads of this JVM and
 * the processes of this machine, so that no build moves aside a fresh copy that another build has
 * just put in place of a modified one. Repairs are rare; unpacking a missing payload needs no lock
 * (its atomic rename settles the race).
 *
 * <p>The lock file stays: deleting it safely would take a second open of the same file, and
 * closing that would drop the process's POSIX lock. The operating system releases the lock of a
 * killed build.
 */
final class RepairLock implements AutoCloseable {
    static final String FILE_NAME = ".repair.lock";
    /** POSIX locks belong to the process: threads of one JVM must take turns before asking for it. */
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock inThisJvm;
    private final FileChannel channel;

    private RepairLock(ReentrantLock inThisJvm, FileChannel channel) {
        this.inThisJvm = inThisJvm;
        this.channel = channel;
    }

    /** Waits until this build may repair copies in the cache at {@code root}. */
    static RepairLock acquire(Path root) throws IOException {
        Files.createDirectories(root);
        Path file = root.resolve(FILE_NAME);
        ReentrantLock inThisJvm = IN_THIS_JVM.computeIfAbsent(file, f -> new ReentrantLock());
        inThisJvm.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            return new RepairLock(inThisJvm, channel);
        } catch (IOException | RuntimeException | Error e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                inThisJvm.unlock();
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close(); // releases the file lock
        } finally {
            inThisJvm.unlock();
        }
    }
}
