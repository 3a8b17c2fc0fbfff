package dev.twoliter.engine.settings;

/** extension.toml texts for the tests: one configuration file, rendered from a template of the extension's name. */
public final class Declarations {
    private Declarations() {}

    /** An extension {@code name} v1 with model {@code model}, rendering {@code path} with {@code mode} (null: the default). */
    public static String of(String name, String model, String path, String mode) {
        return "[extension]\nname = \"" + name + "\"\nversion = \"v1\"\nmodel = \"" + model + "\"\n"
                + "[configuration-files." + name + "]\npath = \"" + path + "\"\n"
                + "template-path = \"/usr/share/templates/" + name + "\"\n"
                + (mode == null ? "" : "mode = \"" + mode + "\"\n");
    }
}
