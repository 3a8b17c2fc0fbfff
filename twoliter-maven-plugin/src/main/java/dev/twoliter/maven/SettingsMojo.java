package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Arches;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.VariantBuild;
import dev.twoliter.engine.image.VariantPlace;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsCheck;
import dev.twoliter.engine.settings.UserDataPreview;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Checks a fleet's user data against the settings of the variant as last built, without Docker:
 * every value against its extension's model (a typo or a wrong type named with its file and line),
 * then every configuration file rendered from it into {@code target/twoliter/settings-check/},
 * beside the files rendered from the image's defaults and a diff between the two. Without user data,
 * checks the image's defaults again and points at the settings reference.
 * {@code mvn twoliter:settings -Dtwoliter.userData=fleet.toml}, after {@code mvn package}.
 */
@Mojo(name = "settings", threadSafe = true)
public class SettingsMojo extends AbstractMojo {
    static final String CHECK_DIR = "settings-check";

    /** The user data to check: a TOML file with a [settings] table, as machines receive it. */
    @Parameter(property = "twoliter.userData")
    File userData;

    /** See the build goals: the arches the project builds. */
    @Parameter(property = "twoliter.arches")
    String arches;

    /** Check against this arch's image (x86_64 or aarch64) when the project builds several. */
    @Parameter(property = "twoliter.arch")
    String arch;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        MavenProjectFacts facts = new MavenProjectFacts(project);
        if (!"variant".equals(project.getPackaging())) {
            getLog().info(facts.module() + " is not a variant; no settings to check");
            return;
        }
        try {
            Arches targets = Arches.select(arches, arch, "twoliter.arches");
            for (Arch target : targets.all()) {
                check(facts, VariantPlace.of(facts.targetDir(), facts.finalName(), target, targets.severalDeclared()),
                        targets.several() ? " (" + target + ")" : "");
            }
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    private void check(MavenProjectFacts facts, VariantPlace place, String label)
            throws TwoliterException, IOException {
        String module = facts.module() + label;
        Path kept = place.workDir().resolve(VariantBuild.SETTINGS_DIR);
        SettingsBundle bundle = SettingsBundle.read(kept);
        SettingsCheck.Result defaults = SettingsCheck.defaults(bundle, module);
        if (userData == null) {
            getLog().info(module + ": " + (defaults.checked() ? "the image's default settings fit the models of its "
                    + defaults.extensions().size() + " extension(s) (" + String.join(", ", defaults.extensions()
                            .keySet()) + "); settings reference: " + kept.resolve(VariantBuild.SETTINGS_REFERENCE)
                    + ". Check user data with -Dtwoliter.userData=<file>."
                    : "the image declares no settings extension, so its " + defaults.defaults().values().size()
                            + " default setting(s) are not checked (docs/settings.md)."));
            return;
        }
        Path file = userData.toPath();
        if (!Files.isRegularFile(file)) {
            throw new TwoliterException(module + ": the user data " + file + " (twoliter.userData) is not a file.");
        }
        if (Files.size(file) > 1 << 20) {
            throw new TwoliterException(module + ": the user data " + file + " is larger than 1 MiB.");
        }
        SettingsCheck.Result applied = SettingsCheck.withUserData(bundle, module,
                new SettingsCheck.UserDataInput(Files.readString(file), file.getFileName().toString()));
        Path out = place.workDir().resolve(CHECK_DIR);
        UserDataPreview.Changes changes = UserDataPreview.write(defaults, applied, out);
        getLog().info(module + ": " + file.getFileName() + " fits the settings models; it renders "
                + changes.files() + " configuration file(s), " + (changes.changed().isEmpty()
                        ? "none different from the image's defaults"
                        : changes.changed().size() + " different from the image's defaults: "
                                + String.join(", ", changes.changed()))
                + ". Files: " + out.resolve("user-data") + ", diff: " + out.resolve(UserDataPreview.DIFF));
    }
}
