package dev.twoliter.engine.image;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsDefaults;
import dev.twoliter.engine.settings.SettingsException;
import dev.twoliter.engine.settings.SettingsExtension;
import dev.twoliter.engine.settings.SettingsRendering;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The settings sources of an installed image: the packages' defaults fragments and the variant's,
 * and, from the installed root, every extension's directory and the templates its configuration
 * files name. Also writes the rendered configuration files as the tar the root filesystem step
 * lays over the root.
 */
final class ImageSettings {
    static final String RENDERED_TAR = "settings-rendered.tar";

    private ImageSettings() {}

    static SettingsBundle gather(VariantBuildRequest request, InstallRootStep.Installation installation)
            throws TwoliterException, IOException {
        List<SettingsBundle.ExtensionFiles> extensions = extensions(request, installation);
        Set<String> templatePaths = new TreeSet<>();
        Map<String, String> renderedBy = new TreeMap<>();
        for (SettingsBundle.ExtensionFiles files : extensions) {
            byte[] declaration = files.files().get(SettingsExtension.FILE_NAME);
            if (declaration == null) {
                continue; // SettingsCheck names the directory
            }
            SettingsExtension extension = SettingsExtension.parse(new String(declaration, StandardCharsets.UTF_8),
                    files.source());
            for (SettingsExtension.ConfigurationFile file : extension.configurationFiles().values()) {
                templatePaths.add(file.templatePath());
                renderedBy.put(file.path(), "configuration file " + file.name() + " of " + files.source());
            }
        }
        Map<String, String> templates = templates(request, installation.rootTar(), templatePaths, renderedBy);
        return new SettingsBundle(fragments(request, installation), extensions, templates);
    }

    /** The packages' fragments sorted by name, then the variant's own, which override them. */
    private static List<SettingsDefaults.Fragment> fragments(VariantBuildRequest request,
            InstallRootStep.Installation installation) throws IOException {
        List<SettingsDefaults.Fragment> fragments = new ArrayList<>();
        for (PackageFacts.SettingsFragment f : installation.fragments()) {
            String owner = f.owner().isEmpty() ? "(no package)" : f.owner();
            fragments.add(new SettingsDefaults.Fragment("package " + owner + " /" + SettingsDefaults.FRAGMENTS_DIR + "/"
                    + f.file(), read(installation.fragmentsDir().resolve(f.file())), false));
        }
        fragments.sort(Comparator.comparing(SettingsDefaults.Fragment::name));
        for (Path own : request.variantSettings().stream().sorted().toList()) {
            Path dir = own.getParent() == null ? null : own.getParent().getFileName();
            fragments.add(new SettingsDefaults.Fragment("variant " + (dir == null ? "" : dir + "/") + own.getFileName(),
                    read(own), true));
        }
        return fragments;
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > SettingsBundle.MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + SettingsBundle.MAX_FILE_BYTES + " bytes");
        }
        return Files.readString(file);
    }

    /** Every file in the extensions' directories, by directory; links and nested directories refused. */
    private static List<SettingsBundle.ExtensionFiles> extensions(VariantBuildRequest request,
            InstallRootStep.Installation installation) throws TwoliterException, IOException {
        String prefix = SettingsBundle.EXTENSIONS_DIR + "/";
        Map<String, Map<String, byte[]>> byDirectory = new TreeMap<>();
        long[] total = {0};
        scan(installation.rootTar(), (name, entry, in) -> {
            if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                return;
            }
            String where = "/" + name.replaceFirst("/$", "");
            String[] parts = where.substring(prefix.length() + 1).split("/", -1);
            if (parts.length == 1 && entry.isDirectory()) {
                return;
            }
            if (parts.length != 2 || !Syntax.isPlainFileName(parts[0]) || !Syntax.isPlainFileName(parts[1])
                    || !isPlainFile(entry)) {
                throw new SettingsException(request.module() + ": " + where + " is not a file directly in an"
                        + " extension's directory (/" + prefix + "<name>/extension.toml and its model); links and"
                        + " nested directories are refused.");
            }
            if (entry.getSize() > SettingsBundle.MAX_FILE_BYTES
                    || (total[0] += entry.getSize()) > SettingsBundle.MAX_TOTAL_BYTES) {
                throw new SettingsException(request.module() + ": " + where + " makes the settings extensions larger"
                        + " than their bound (" + SettingsBundle.MAX_FILE_BYTES + " bytes a file, "
                        + SettingsBundle.MAX_TOTAL_BYTES + " in all).");
            }
            Map<String, byte[]> files = byDirectory.computeIfAbsent(parts[0], d -> new TreeMap<>());
            if (byDirectory.size() > SettingsBundle.MAX_EXTENSIONS) {
                throw new SettingsException(request.module() + ": the image has more than "
                        + SettingsBundle.MAX_EXTENSIONS + " settings extensions.");
            }
            files.put(parts[1], in.readNBytes((int) entry.getSize()));
        });
        Map<String, String> owners = new LinkedHashMap<>();
        installation.extensions().forEach(e -> owners.put(e.directory(), e.owner()));
        List<SettingsBundle.ExtensionFiles> extensions = new ArrayList<>();
        byDirectory.forEach((directory, files) -> extensions.add(new SettingsBundle.ExtensionFiles(directory,
                owners.getOrDefault(directory, ""), files)));
        return extensions;
    }

    /**
     * The templates at the given paths; also refuses a package file where a configuration file is
     * rendered, since the rendered file would hide it without a word.
     */
    private static Map<String, String> templates(VariantBuildRequest request, Path rootTar, Set<String> paths,
            Map<String, String> renderedBy) throws TwoliterException, IOException {
        Map<String, String> templates = new TreeMap<>();
        if (paths.isEmpty()) {
            return templates;
        }
        scan(rootTar, (name, entry, in) -> {
            String path = "/" + name.replaceFirst("/$", "");
            if (renderedBy.containsKey(path)) {
                throw new SettingsException(request.module() + ": " + path + " is installed by a package and is also"
                        + " rendered, as " + renderedBy.get(path) + "; a rendered file is not shipped. Remove it from"
                        + " the package (rpm -qf " + path + " in the image names it).");
            }
            if (!paths.contains(path)) {
                return;
            }
            if (!isPlainFile(entry)) {
                throw new SettingsException(request.module() + ": the template " + path + " is not a regular file"
                        + " in the image (links are refused).");
            }
            if (entry.getSize() > SettingsBundle.MAX_FILE_BYTES) {
                throw new SettingsException(request.module() + ": the template " + path + " is larger than "
                        + SettingsBundle.MAX_FILE_BYTES + " bytes.");
            }
            templates.put(path, new String(in.readNBytes((int) entry.getSize()), StandardCharsets.UTF_8));
        });
        return templates;
    }

    /** commons-compress calls a link a file too. */
    private static boolean isPlainFile(TarArchiveEntry entry) {
        return !entry.isDirectory() && Tars.unsupportedKind(entry).isEmpty();
    }

    private interface EntryVisitor {
        void visit(String name, TarArchiveEntry entry, InputStream in) throws TwoliterException, IOException;
    }

    private static void scan(Path rootTar, EntryVisitor visitor) throws TwoliterException, IOException {
        try (TarArchiveInputStream tar = Tars.reader(Files.newInputStream(rootTar))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (!name.isEmpty()) {
                    visitor.visit(name, entry, tar);
                }
            }
        }
    }

    /** The rendered files as a tar of regular files (no directories, so the root's keep their modes). */
    static void writeRendered(List<SettingsRendering.RenderedFile> files, java.time.Instant mtime, Path target)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (SettingsRendering.RenderedFile file : files) {
            byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(file.path().substring(1));
            entry.setModTime(java.util.Date.from(mtime));
            entry.setIds(0, 0);
            entry.setNames("root", "root");
            entry.setMode(Integer.parseInt(file.mode(), 8));
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        tar.finish();
        Files.write(target, bytes.toByteArray());
    }
}
