package dev.twoliter.engine;

/**
 * How the build tool names the settings and commands a user can act on. The engine's messages
 * state facts and, where a setting or a command is the fix, name it through these terms, so the
 * engine never speaks a build tool's language itself; the Maven adapter words them as POM elements,
 * {@code -D} properties and {@code mvn} goals.
 */
public interface Terms {
    /** A setting a message may ask the user to change. */
    enum Setting {
        ARCH, SDK_IMAGE, PULL_SDK, SPEC, DEFINES, RPM_DEPENDENCY, KIT_DEPENDENCY, INCLUDED_PACKAGES,
        OS_IMAGE_SIZE, DATA_IMAGE_SIZE, PARTITION_PLAN, IN_PLACE_UPDATES, BOOTLOADER, ROOT_FILESYSTEM, IMAGE_COMPRESSION, PACKAGE_SCRIPTLETS, SOURCE_URL, SOURCE_FILE_NAME, SOURCE_SIZE, SOURCE_SERVER_ID,
        SOURCE_SHA512, LOOKASIDE_MIRRORS, UPSTREAM_FALLBACK_OFF, FORCE_UPSTREAM,
        /** How strictly kit signatures are checked (required, warn, off). */
        KIT_SIGNATURES,
        /** The vendor keys trusted for kits, by groupId. */
        TRUSTED_KIT_KEYS,
        /** One server entry of the user's credentials, named by id. */
        SERVER,
        /** Where the user keeps server credentials. */
        SERVER_CREDENTIALS,
        /** Working without network (the switch that turns it on). */
        OFFLINE,
        /** The Go module proxy vendored modules come from. */
        GO_PROXY,
        /** The Cargo registry vendored crates come from. */
        CARGO_REGISTRY,
        /** Where in an upstream archive the project to vendor for is. */
        VENDOR_ROOT,
        /** Requirements a kit or variant may leave unmet on purpose, each with a reason. */
        CLOSURE_EXCEPTIONS,
        /** How unmet requirements are handled (fail, warn, skip). */
        CLOSURE_POLICY,
        /** A kit declared as the base the variant brings, not a dependency of the kit. */
        CLOSURE_BASE,
        /** The RPMs an rpm module takes as they are instead of building them. */
        PREBUILT_RPMS,
        /** The vendor key every prebuilt RPM of a module must be signed with. */
        PREBUILT_SIGNING_KEY
    }

    /** A command a message may ask the user to run. */
    enum Command {
        /** Writes the lock file anew. */
        UPDATE_LOCK,
        /** Builds the modules of the project so that their artifacts exist. */
        BUILD_MODULES,
        /** Creates development signing keys. */
        GENERATE_KEYS
    }

    String setting(Setting setting);

    String command(Command command);

    /** Plain names, for tests and for callers without a build tool. */
    Terms PLAIN = new Terms() {
        @Override
        public String setting(Setting setting) {
            return "the " + setting.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " setting";
        }

        @Override
        public String command(Command command) {
            return "the " + command.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " command";
        }
    };
}
