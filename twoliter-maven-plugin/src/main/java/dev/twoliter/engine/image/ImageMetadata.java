package dev.twoliter.engine.image;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Json;
import dev.twoliter.engine.sdk.PackageFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files the plugin writes into every image: {@code /usr/lib/os-release}, the application
 * inventory, and the merged default settings. Written between the install step and the image step,
 * into a directory the image step takes them from.
 */
final class ImageMetadata {
    static final List<String> FILES = List.of("os-release", "application-inventory.json", "settings-defaults.toml",
            SbomStep.FILES.get(0), SbomStep.FILES.get(1));

    private ImageMetadata() {}

    /** Writes the three files into {@code dir} and returns it. */
    static Path write(VariantBuildRequest request, InstallRootStep.Installation installation, Path dir)
            throws IOException, TwoliterException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("os-release"), osRelease(request));
        Files.writeString(dir.resolve("application-inventory.json"), inventory(request, installation.packages()));
        Files.writeString(dir.resolve("settings-defaults.toml"), SettingsDefaults.merge(settingsFragments(request,
                installation), request.module()));
        return dir;
    }

    static String osRelease(VariantBuildRequest request) {
        ImageOptions o = request.options();
        Map<String, String> osRelease = new LinkedHashMap<>();
        osRelease.put("NAME", o.prettyName());
        osRelease.put("ID", request.variantId());
        osRelease.put("PRETTY_NAME", o.prettyName() + " " + request.version() + " (" + request.variantId() + ")");
        osRelease.put("VARIANT_ID", request.variantId());
        osRelease.put("VERSION_ID", VariantInputs.versionId(request.version()));
        osRelease.put("BUILD_ID", request.buildId());
        return OsRelease.render(osRelease);
    }

    /** The inventory in Bottlerocket's form; every package's install time is the build's timestamp. */
    static String inventory(VariantBuildRequest request, List<InstallRootStep.InstalledPackage> packages) {
        String installedTime = request.epoch().toString();
        List<Object> content = new ArrayList<>();
        for (InstallRootStep.InstalledPackage p : packages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Name", p.name());
            entry.put("Publisher", p.publisher());
            entry.put("Version", p.version());
            entry.put("Release", p.release());
            entry.put("Epoch", Long.toString(p.epoch()));
            entry.put("InstalledTime", installedTime);
            entry.put("ApplicationType", p.group());
            entry.put("Architecture", p.arch());
            entry.put("Url", p.url());
            entry.put("Summary", p.summary());
            entry.put("Source", p.source());
            content.add(entry);
        }
        return Json.render(Map.of("Content", content));
    }

    /** The packages' fragments sorted by name, then the variant's own, which override them. */
    private static List<SettingsDefaults.Fragment> settingsFragments(VariantBuildRequest request,
            InstallRootStep.Installation installation) {
        List<SettingsDefaults.Fragment> fragments = new ArrayList<>();
        for (PackageFacts.SettingsFragment f : installation.fragments()) {
            String owner = f.owner().isEmpty() ? "(no package)" : f.owner();
            fragments.add(new SettingsDefaults.Fragment("package " + owner + " /" + SettingsDefaults.FRAGMENTS_DIR + "/"
                    + f.file(), installation.fragmentsDir().resolve(f.file()), false));
        }
        fragments.sort(java.util.Comparator.comparing(SettingsDefaults.Fragment::name));
        for (Path own : request.variantSettings().stream().sorted().toList()) {
            fragments.add(new SettingsDefaults.Fragment("variant settings.d/" + own.getFileName(), own, true));
        }
        return fragments;
    }
}
