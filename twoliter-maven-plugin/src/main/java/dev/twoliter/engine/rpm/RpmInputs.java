package dev.twoliter.engine.rpm;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.source.ExternalSource;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.engine.vendor.VendorPins;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything an rpm build reads, found and checked before any container runs: the spec, the local
 * sources, the external sources (fetched by digest), the dependency artifacts and the build macros.
 *
 * @param sources file name in SOURCES (relative path for local ones) to file
 * @param dependencies artifact file name to artifact
 */
record RpmInputs(Path spec, Map<String, Path> sources, Map<String, Path> dependencies, String buildMacros) {
    private static final Pattern MACRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static RpmInputs collect(RpmBuildRequest request, SourceCache sourceCache) throws TwoliterException, IOException {
        Path spec = locateSpec(request);
        Map<String, Path> sources = localSources(request, spec);
        sources.putAll(externalSources(request, sources, sourceCache));
        return new RpmInputs(spec, sources, dependencyArtifacts(request), buildMacros(request));
    }

    /** The same inputs with the vendor archives added to the sources. */
    RpmInputs withSources(Map<String, Path> more, RpmBuildRequest request) throws RpmBuildException {
        Map<String, Path> all = new TreeMap<>(sources);
        for (Map.Entry<String, Path> e : more.entrySet()) {
            boolean clash = sources.keySet().stream().anyMatch(k -> k.equals(e.getKey()) || k.endsWith("/" + e.getKey()));
            if (clash || all.put(e.getKey(), e.getValue()) != null) {
                throw new RpmBuildException(request.module() + ": the vendor archive " + e.getKey() + " would replace"
                        + " a source of the same name; rename that source.");
            }
        }
        return new RpmInputs(spec, all, dependencies, buildMacros);
    }

    private static Path locateSpec(RpmBuildRequest request) throws RpmBuildException {
        Path spec = request.specFile();
        String specSetting = request.terms().setting(Terms.Setting.SPEC);
        if (Files.isDirectory(spec)) {
            throw new RpmBuildException(request.module() + ": the spec " + spec + " is a directory, not a file. Point "
                    + specSetting + " at the .spec file itself (default: <artifactId>.spec next to pom.xml).");
        }
        if (Files.isRegularFile(spec)) {
            String name = spec.getFileName().toString();
            if (!name.endsWith(".spec") || !Syntax.isPlainFileName(name)) {
                throw new RpmBuildException(request.module() + ": the spec file name " + Syntax.show(name)
                        + " must end in .spec and consist of letters, digits and . _ + - (it becomes a file name in"
                        + " the build container).");
            }
            return spec;
        }
        String others;
        try (Stream<Path> files = Files.list(request.moduleDir())) {
            others = String.join(", ", files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".spec"))
                    .sorted().toList());
        } catch (IOException e) {
            others = "";
        }
        throw new RpmBuildException(request.module() + ": spec file " + spec + " not found. An rpm module needs"
                + " <artifactId>.spec next to its pom.xml, or " + specSetting + " set in the plugin configuration"
                + (others.isEmpty() ? "." : " (spec files present: " + others + ")."));
    }

    /** The module's own files: everything except pom.xml, the spec, dot-files and the excluded directories. */
    private static Map<String, Path> localSources(RpmBuildRequest request, Path spec)
            throws IOException, RpmBuildException {
        Path root = request.moduleDir().toAbsolutePath().normalize();
        Path specFile = spec.toAbsolutePath().normalize();
        List<Path> excluded = request.excludedDirs().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Map<String, Path> sources = new TreeMap<>();
        List<String> unusable = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean skip = !dir.equals(root)
                        && (dir.getFileName().toString().startsWith(".") || excluded.contains(dir));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!Syntax.isOneLine(relative, 4096)) {
                    unusable.add(relative);
                    return FileVisitResult.CONTINUE;
                }
                boolean skip = !attrs.isRegularFile() || file.getFileName().toString().startsWith(".")
                        || relative.equals("pom.xml") || file.equals(specFile)
                        // Written by the build itself; what it pins is a function of the lock files.
                        || relative.equals(VendorPins.FILE_NAME);
                if (!skip) {
                    sources.put(relative, file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (!unusable.isEmpty()) {
            throw new RpmBuildException(request.module() + ": local source " + Syntax.show(unusable.get(0))
                    + " has a control character (such as a newline) in its name; rename it.");
        }
        failOnSameBaseName(request, sources);
        return sources;
    }

    private static void failOnSameBaseName(RpmBuildRequest request, Map<String, Path> sources)
            throws RpmBuildException {
        Map<String, String> byBaseName = new TreeMap<>();
        for (String relative : sources.keySet()) {
            String base = relative.substring(relative.lastIndexOf('/') + 1);
            String other = byBaseName.putIfAbsent(base, relative);
            if (other != null) {
                throw new RpmBuildException(request.module() + ": local sources " + other + " and " + relative
                        + " share the name " + base + "; rpm finds sources by name alone, so rename one of them.");
            }
        }
    }

    private static Map<String, Path> externalSources(RpmBuildRequest request, Map<String, Path> localSources,
            SourceCache sourceCache) throws TwoliterException, IOException {
        Map<String, Path> fetched = new TreeMap<>();
        for (ExternalSource source : request.externalSources()) {
            SourceCache.validate(source, request.module(), request.terms());
            boolean clash = fetched.containsKey(source.fileName()) || localSources.keySet().stream()
                    .anyMatch(k -> k.equals(source.fileName()) || k.endsWith("/" + source.fileName()));
            if (clash) {
                throw new RpmBuildException(request.module() + ": external source " + Urls.redact(source.url())
                        + " would be " + source.fileName() + ", but a source of that name already exists; give it"
                        + " another " + request.terms().setting(Terms.Setting.SOURCE_FILE_NAME) + ".");
            }
            fetched.put(source.fileName(), sourceCache.fetch(source, request.module()));
        }
        return fetched;
    }

    private static Map<String, Path> dependencyArtifacts(RpmBuildRequest request) throws RpmBuildException {
        Map<String, Path> artifacts = new TreeMap<>();
        for (Path artifact : request.dependencyArtifacts()) {
            if (!Files.isRegularFile(artifact)) {
                throw new RpmBuildException(request.module() + ": dependency artifact " + artifact + " does not exist;"
                        + " build its module in the same reactor with "
                        + request.terms().command(Terms.Command.BUILD_MODULES) + " or install it.");
            }
            artifacts.put(artifact.getFileName().toString(), artifact);
        }
        return artifacts;
    }

    /** Macros the plugin sets for every build: reproducibility first, then the user's own. */
    private static String buildMacros(RpmBuildRequest request) throws RpmBuildException {
        StringBuilder macros = new StringBuilder();
        macros.append("%_topdir /work/rpmbuild\n");
        macros.append("%_buildhost twoliter-sdk\n");
        macros.append("%_build_id_links none\n");
        macros.append("%use_source_date_epoch_as_buildtime 1\n");
        macros.append("%clamp_mtime_to_source_date_epoch 1\n");
        macros.append("%source_date_epoch_from_changelog ").append(request.sourceDateEpoch().isEmpty() ? 1 : 0)
                .append('\n');
        for (Map.Entry<String, String> define : new TreeMap<>(request.defines()).entrySet()) {
            String name = define.getKey().startsWith("%") ? define.getKey().substring(1) : define.getKey();
            String value = define.getValue() == null ? "" : define.getValue();
            if (!MACRO_NAME.matcher(name).matches() || !Syntax.isOneLine(value, 4096)) {
                throw new RpmBuildException(request.module() + ": " + request.terms().setting(Terms.Setting.DEFINES)
                        + " entry " + Syntax.show(define.getKey()) + " is not a valid RPM macro (name"
                        + " [A-Za-z_][A-Za-z0-9_]*, a value of one line without control characters).");
            }
            macros.append('%').append(name).append(' ').append(value.isEmpty() ? "%{nil}" : value).append('\n');
        }
        return macros.toString();
    }
}
