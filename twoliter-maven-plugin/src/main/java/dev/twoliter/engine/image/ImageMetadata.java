package dev.twoliter.engine.image;

import dev.twoliter.engine.io.Json;
import dev.twoliter.engine.settings.SettingsCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files the plugin writes into every image: {@code /usr/lib/os-release}, the application
 * inventory, the merged default settings and the configuration files rendered from them. Written between the install step and the image step,
 * into a directory the image step takes them from.
 */
final class ImageMetadata {
    static final List<String> FILES = List.of("os-release", "application-inventory.json", "settings-defaults.toml",
            ImageSettings.RENDERED_TAR, SbomStep.FILES.get(0), SbomStep.FILES.get(1));

    private ImageMetadata() {}

    /**
     * Writes the files into {@code dir} and returns it: os-release, the inventory, the merged
     * defaults and the configuration files rendered from them.
     */
    static Path write(VariantBuildRequest request, InstallRootStep.Installation installation,
            SettingsCheck.Result settings, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("os-release"), osRelease(request));
        Files.writeString(dir.resolve("application-inventory.json"), inventory(request, installation.packages()));
        Files.writeString(dir.resolve("settings-defaults.toml"), settings.defaults().toml());
        ImageSettings.writeRendered(settings.files(), request.epoch(), dir.resolve(ImageSettings.RENDERED_TAR));
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

}
