package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.sdk.PackageFacts;
import dev.twoliter.engine.settings.Declarations;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsCheck;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSettingsTest {
    private static final String EXT = "./usr/share/twoliter/settings/extensions/";
    private static final String DECLARATION = Declarations.of("motd", "model.json", "/etc/motd", null);

    @TempDir
    Path dir;

    private final Map<String, String> files = new LinkedHashMap<>(Map.of(
            EXT + "motd/extension.toml", DECLARATION,
            EXT + "motd/model.json", "{\"type\": \"string\"}",
            "./usr/share/templates/motd", "[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}\n",
            "./usr/share/templates/unrelated", "not read"));

    private InstallRootStep.Installation installation(String symlink) throws Exception {
        Path tar = dir.resolve("root.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.putArchiveEntry(new TarArchiveEntry("./"));
            t.closeArchiveEntry();
            t.putArchiveEntry(new TarArchiveEntry(EXT + "motd/"));
            t.closeArchiveEntry();
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(content.length);
                t.putArchiveEntry(entry);
                t.write(content);
                t.closeArchiveEntry();
            }
            if (symlink != null) {
                TarArchiveEntry link = new TarArchiveEntry(symlink, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("/etc/shadow");
                t.putArchiveEntry(link);
                t.closeArchiveEntry();
            }
        }
        Path fragments = Files.createDirectories(dir.resolve("settings.d"));
        Files.writeString(fragments.resolve("10-motd.toml"), "settings.motd = \"hi\"\n");
        return new InstallRootStep.Installation(List.of(), List.of(new PackageFacts.SettingsFragment("10-motd.toml",
                "motd-pkg")), List.of(new PackageFacts.SettingsExtensionOwner("motd", "motd-pkg")), tar, fragments);
    }

    private VariantBuildRequest request() {
        return VariantRequests.of(dir, Map.of());
    }

    @Test
    void gathersTheExtensionsTheirTemplatesAndTheDefaultsFromTheInstalledRoot() throws Exception {
        SettingsBundle bundle = ImageSettings.gather(request(), installation(null));

        assertThat(bundle.extensions()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("package motd-pkg /usr/share/twoliter/settings/extensions/motd/extension.toml");
            assertThat(e.files()).containsOnlyKeys("extension.toml", "model.json");
        });
        assertThat(bundle.templates()).containsOnlyKeys("/usr/share/templates/motd");
        assertThat(bundle.fragments()).singleElement().satisfies(f -> assertThat(f.name())
                .isEqualTo("package motd-pkg /usr/share/twoliter/settings.d/10-motd.toml"));
        assertThat(SettingsCheck.defaults(bundle, "m").files()).singleElement()
                .satisfies(f -> assertThat(f.content()).isEqualTo("hi\n"));
    }

    @Test
    void aPackagedFileWhereAConfigurationFileIsRenderedIsRefused() throws Exception {
        files.put("./etc/motd", "shipped");

        assertThatThrownBy(() -> ImageSettings.gather(request(), installation(null)))
                .hasMessageContaining("/etc/motd is installed by a package and is also rendered, as configuration file"
                        + " motd of package motd-pkg");
    }

    @Test
    void aTemplateThatIsALinkIsRefused() throws Exception {
        files.remove("./usr/share/templates/motd");

        assertThatThrownBy(() -> ImageSettings.gather(request(), installation("./usr/share/templates/motd")))
                .hasMessageContaining("the template /usr/share/templates/motd is not a regular file in the image");
    }

    @Test
    void aLinkOrNestedDirectoryInAnExtensionsDirectoryIsRefused() throws Exception {
        assertThatThrownBy(() -> ImageSettings.gather(request(), installation(EXT + "motd/model.json.link")))
                .hasMessageContaining("/usr/share/twoliter/settings/extensions/motd/model.json.link is not a file"
                        + " directly in an extension's directory");
        files.put(EXT + "motd/deeper/x.json", "{}");
        assertThatThrownBy(() -> ImageSettings.gather(request(), installation(null)))
                .hasMessageContaining("extensions/motd/deeper/x.json is not a file directly");
    }

    @Test
    void renderedFilesBecomeRegularFilesWithTheirModesAndNoDirectories() throws Exception {
        Path tar = dir.resolve("rendered.tar");
        ImageSettings.writeRendered(List.of(new dev.twoliter.engine.settings.SettingsRendering.RenderedFile(
                "/etc/chrony.conf", "0600", "server a\n", "ntp")), Instant.ofEpochSecond(1700000000), tar);

        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("etc/chrony.conf");
            assertThat(entry.isFile()).isTrue();
            assertThat(entry.getMode() & 07777).isEqualTo(0600);
            assertThat(entry.getModTime().toInstant()).isEqualTo(Instant.ofEpochSecond(1700000000));
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("server a\n");
            assertThat(in.getNextEntry()).isNull();
        }
    }
}
