package dev.twoliter.maven;

import dev.twoliter.engine.Terms;

/** The engine's settings and commands as a Maven user writes them: POM elements, -D properties, goals. */
public final class MavenTerms implements Terms {
    public static final MavenTerms INSTANCE = new MavenTerms();

    private MavenTerms() {}

    @Override
    public String setting(Setting setting) {
        return switch (setting) {
            case ARCH -> "-Dtwoliter.arch";
            case CLOSURE_EXCEPTIONS -> "<closureExceptions><closureException><requirement>…</requirement><reason>…</reason>"
                    + "</closureException></closureExceptions>";
            case CLOSURE_POLICY -> "-Dtwoliter.closure=warn (or <closure>warn</closure>)";
            case CLOSURE_BASE -> "<dependency> with <type>kit</type> and <scope>provided</scope>";
            case SDK_IMAGE -> "-Dtwoliter.sdkImage";
            case PULL_SDK -> "-Dtwoliter.pullSdk=true";
            case SPEC -> "<spec>";
            case DEFINES -> "<defines>";
            case RPM_DEPENDENCY -> "<dependency> with <type>rpm</type>";
            case KIT_DEPENDENCY -> "<type>kit</type>";
            case INCLUDED_PACKAGES -> "<includedPackages>";
            case OS_IMAGE_SIZE -> "<imageLayout><osImageSizeGib>";
            case DATA_IMAGE_SIZE -> "<imageLayout><dataImageSizeGib>";
            case PARTITION_PLAN -> "<imageLayout><partitionPlan>";
            case IN_PLACE_UPDATES -> "<imageLayout><inPlaceUpdates>";
            case BOOTLOADER -> "<bootloader>";
            case ROOT_FILESYSTEM -> "<rootFilesystem>";
            case IMAGE_COMPRESSION -> "<imageCompression>";
            case PACKAGE_SCRIPTLETS -> "<packageScriptlets>";
            case SOURCE_URL -> "<url>";
            case SOURCE_FILE_NAME -> "<fileName>";
            case SOURCE_SIZE -> "<size>";
            case SOURCE_SERVER_ID -> "<serverId>";
            case SOURCE_SHA512 -> "<sha512>";
            case LOOKASIDE_MIRRORS -> "<lookasideMirrors> (twoliter.lookasideMirrors)";
            case UPSTREAM_FALLBACK_OFF -> "twoliter.upstreamFallback=false";
            case FORCE_UPSTREAM -> "<forceUpstream>true</forceUpstream>";
            case KIT_SIGNATURES -> "<kitSignatures> (twoliter.kitSignatures)";
            case TRUSTED_KIT_KEYS -> "<trustedKitKeys>";
            case SERVER -> "<server>";
            case SERVER_CREDENTIALS -> "settings.xml <server>";
            case OFFLINE -> "-o";
            case GO_PROXY -> "<goProxy> (twoliter.goProxy)";
            case CARGO_REGISTRY -> "<cargoRegistry> (twoliter.cargoRegistry)";
            case VENDOR_ROOT -> "<vendorRoot>";
            case PREBUILT_RPMS -> "<prebuiltRpms>";
            case PREBUILT_SIGNING_KEY -> "<prebuiltSigningKey>";
        };
    }

    @Override
    public String command(Command command) {
        return switch (command) {
            case UPDATE_LOCK -> "`mvn twoliter:update`";
            case BUILD_MODULES -> "`mvn package` (or later)";
            case GENERATE_KEYS -> "`mvn twoliter:generate-keys`";
        };
    }
}
