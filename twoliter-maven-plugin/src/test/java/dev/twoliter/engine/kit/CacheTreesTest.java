package dev.twoliter.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-only trees in the kit cache, and removing them again without following links. */
class CacheTreesTest {
    @TempDir
    Path dir;

    /** tree/a/b/file (read-only) and tree/a/link to a file outside the tree. */
    private Path tree(Path outside) throws Exception {
        Path tree = dir.resolve("tree");
        Path file = Files.writeString(Files.createDirectories(tree.resolve("a/b")).resolve("file"), "x");
        CacheTrees.setPermissions(file, CacheTrees.READ_ONLY_FILE);
        Files.createSymbolicLink(tree.resolve("a/link"), outside);
        return tree;
    }

    @Test
    void directoriesBecomeReadOnlyAndAReadOnlyTreeIsDeletedWithoutFollowingLinks() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside"), "keep");
        Path tree = tree(outside);

        CacheTrees.makeReadOnly(tree, new KitFixtures.RecordingLog());
        for (Path d : new Path[] {tree, tree.resolve("a"), tree.resolve("a/b")}) {
            assertThat(Files.getPosixFilePermissions(d)).isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
        }

        CacheTrees.deleteTree(tree);

        assertThat(tree).doesNotExist();
        assertThat(outside).hasContent("keep");
        CacheTrees.deleteTree(tree); // nothing there: nothing to do
    }

    @Test
    void makingATreeWritableOpensEveryDirectoryAndKeepsItsFiles() throws Exception {
        Path tree = tree(dir.resolve("nowhere"));
        CacheTrees.makeReadOnly(tree, new KitFixtures.RecordingLog());

        CacheTrees.makeWritable(tree);

        for (Path d : new Path[] {tree, tree.resolve("a"), tree.resolve("a/b")}) {
            assertThat(Files.getPosixFilePermissions(d)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(tree.resolve("a/b/file")).hasContent("x");
        assertThat(Files.getPosixFilePermissions(tree.resolve("a/b/file"))).isEqualTo(CacheTrees.READ_ONLY_FILE);
    }
}
