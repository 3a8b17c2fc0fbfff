package dev.twoliter.engine.settings;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What user data would change on a machine, written for a person to read before it reaches a
 * fleet: the configuration files rendered from the image's defaults ({@code defaults/<path>}), the
 * ones rendered from the user data ({@code user-data/<path>}) and a unified diff between them
 * ({@value #DIFF}).
 */
public final class UserDataPreview {
    public static final String DIFF = "user-data.diff";

    /** The paths whose content the user data changes. */
    public record Changes(List<String> changed, int files) {}

    private UserDataPreview() {}

    public static Changes write(SettingsCheck.Result defaults, SettingsCheck.Result withUserData, Path dir)
            throws IOException {
        AtomicFiles.deleteTree(dir);
        Map<String, String> before = contents(defaults, dir.resolve("defaults"));
        Map<String, String> after = contents(withUserData, dir.resolve("user-data"));
        StringBuilder diff = new StringBuilder();
        List<String> changed = new ArrayList<>();
        for (String path : new TreeSet<>(after.keySet())) {
            String old = before.getOrDefault(path, "");
            if (old.equals(after.get(path))) {
                continue;
            }
            changed.add(path);
            List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("defaults" + path, "user-data" + path,
                    lines(old), DiffUtils.diff(lines(old), lines(after.get(path))), 3);
            lines.forEach(line -> diff.append(line).append('\n'));
        }
        AtomicFiles.writeString(dir.resolve(DIFF), diff.toString());
        return new Changes(List.copyOf(changed), after.size());
    }

    private static Map<String, String> contents(SettingsCheck.Result result, Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        for (SettingsRendering.RenderedFile file : result.files()) {
            Path target = root.resolve(file.path().substring(1)).normalize();
            if (!target.startsWith(root)) {
                throw new IOException(file.path() + " leaves " + root);
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content());
            contents.put(file.path(), file.content());
        }
        return contents;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
    }
}
