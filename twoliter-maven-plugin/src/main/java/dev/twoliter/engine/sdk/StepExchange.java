package dev.twoliter.engine.sdk;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directory on this machine that one step container of a local engine has mounted at {@value
 * StepWrapper#EXCHANGE_PATH}: the step's inputs go in ({@code in/}, then the {@code go} marker),
 * its outputs come out ({@code out/}), with no archive through the Docker API, which costs the
 * engine a helper process each way. The files are laid out exactly as the archive would lay them
 * out (same modes, time stamps at the epoch), and outputs are taken with the archive's rules (only
 * regular files and directories), so a step cannot tell the two apart.
 *
 * <p>The wrapper writes {@code ready} when it starts: if that never appears, the engine does not
 * see this machine's files at the same paths (Docker outside of Docker, a remote daemon behind a
 * unix socket) and the build falls back to archives.
 */
final class StepExchange {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> EXECUTABLE = DIRECTORY;
    private static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    private static final int MAX_FAILURE_BYTES = 4096;

    private final Path directory;

    private StepExchange(Path directory) {
        this.directory = directory;
    }

    /**
     * The user's directory of exchange directories, {@code ~/.cache/twoliter/exchange}, private to the
     * user: on disk next to the other caches rather than in a /tmp that may be memory, because image
     * outputs pass through it.
     */
    static Path baseDirectory() throws IOException {
        Path base = Path.of(System.getProperty("user.home"), ".cache", "twoliter", "exchange");
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(base.getParent());
            try {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another build made it first
            }
        }
        // Use it only if it is this user's own directory (a home shared with another account is not).
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)
                || !Files.getOwner(base, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
            throw new IOException(base + " is not a directory of this user");
        }
        return base;
    }

    static StepExchange create(Path root, String name) throws IOException {
        return new StepExchange(Files.createDirectory(root.resolve(name)));
    }

    Path directory() {
        return directory;
    }

    /** Waits until the container's wrapper has started and written {@code ready}: proof that it sees this directory. */
    boolean awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!Files.exists(directory.resolve("ready"))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Lays out the step's files under {@code in/} as they must appear in the container, then writes
     * the {@code go} marker that starts the step.
     *
     * @param files container path without its leading slash, to host file
     * @param outputPath the container directory to hand back after success, or null
     */
    void send(Map<String, Path> files, String script, String environment, String outputPath) throws IOException {
        Path in = directory.resolve("in");
        createDirectory(in);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path target = below(in, file.getKey(), "container path");
            createParents(in, target);
            Files.copy(file.getValue(), target);
            Files.setPosixFilePermissions(target, Tars.isExecutable(file.getValue()) ? EXECUTABLE : PLAIN);
        }
        write(in, StepWrapper.SCRIPT_PATH.substring(1), script);
        write(in, StepWrapper.ENV_FILE.substring(1), environment);
        stampTree(in);
        if (outputPath != null) {
            if (!outputPath.startsWith("/") || outputPath.indexOf('\n') >= 0 || outputPath.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("Not an absolute container path: " + Syntax.show(outputPath));
            }
            Files.writeString(directory.resolve("output-path"), outputPath + "\n", StandardCharsets.UTF_8);
        }
        Files.createFile(directory.resolve("go"));
    }

    /** Why the wrapper could not move the step's files, if it said so. */
    Optional<String> failure() {
        Path failed = directory.resolve("failed");
        try {
            if (!Files.isRegularFile(failed, LinkOption.NOFOLLOW_LINKS) || Files.size(failed) > MAX_FAILURE_BYTES) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(failed, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Copies the step's outputs into {@code outputDir}: regular files and directories only, as
     * {@link Tars#extract} takes them from an archive; a link or a special file fails the step.
     */
    void receive(String outputPath, Path outputDir) throws IOException {
        Path out = directory.resolve("out");
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the step left no directory " + outputPath);
        }
        Path root = outputDir.toAbsolutePath().normalize();
        List<IOException> refused = new ArrayList<>();
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(out)) {
                    Files.createDirectories(below(root, out.relativize(dir).toString(), "output path"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = out.relativize(file).toString();
                if (!attributes.isRegularFile()) {
                    String kind = attributes.isSymbolicLink()
                            ? "a symbolic link to " + Syntax.show(Files.readSymbolicLink(file).toString())
                            : "a special file";
                    refused.add(new IOException("Output entry " + Syntax.show(outputPath + "/" + name) + " is " + kind
                            + "; only regular files and directories are extracted."));
                    return FileVisitResult.TERMINATE;
                }
                Path target = below(root, name, "output path");
                Files.deleteIfExists(target);
                dev.twoliter.engine.io.SparseCopy.copy(file, target);
                if (Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE)) {
                    target.toFile().setExecutable(true, false);
                }
                return FileVisitResult.CONTINUE;
            }

        });
        if (!refused.isEmpty()) {
            throw refused.get(0);
        }
    }

    /** Removes the directory; what the container wrote there is world-writable, so this user can. */
    void delete() {
        try {
            AtomicFiles.deleteTree(directory);
        } catch (IOException e) {
            // the engine's directory goes at the end of the build, or the next build sweeps it
        }
    }

    /** {@code relative} below {@code root}, refused (naming it as {@code what}) if it is unsafe or leaves root. */
    private static Path below(Path root, String relative, String what) throws IOException {
        Optional<String> unsafe = Tars.unsafePath(relative);
        Path target = root.resolve(relative).normalize();
        if (unsafe.isPresent() || !target.startsWith(root) || target.equals(root)) {
            throw new IOException("Unsafe " + what + " " + Syntax.show("/" + relative)
                    + unsafe.map(reason -> ": " + reason).orElse(" (outside its directory)") + ".");
        }
        return target;
    }

    private static void createParents(Path root, Path file) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path dir = file.getParent(); !dir.equals(root) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
                dir = dir.getParent()) {
            missing.add(0, dir);
        }
        for (Path dir : missing) {
            createDirectory(dir);
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    private static void write(Path root, String relative, String text) throws IOException {
        Path target = below(root, relative, "container path");
        createParents(root, target);
        Files.writeString(target, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(target, PLAIN);
    }

    /** Every file and directory below {@code root} gets the epoch as its time, as the input archive gives them. */
    private static void stampTree(Path root) throws IOException {
        FileTime epoch = FileTime.from(Instant.EPOCH);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.setLastModifiedTime(file, epoch);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.setLastModifiedTime(dir, epoch);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
