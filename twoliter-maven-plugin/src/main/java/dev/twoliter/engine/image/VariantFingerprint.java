package dev.twoliter.engine.image;

import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a variant's outputs depend on, each input by name so that a rebuild can say what
 * changed: the plugin and its step scripts, the SDK, the options, the local RPMs, the kits (with
 * their signers), the settings files and the signing certificates.
 */
final class VariantFingerprint {
    /** The image steps' scripts; a changed script rebuilds. */
    static final String SCRIPTS = InstallRootStep.SCRIPT + GrubStep.SCRIPT + RootFilesystemStep.SCRIPT
            + UkiStep.SCRIPT + DiskImageStep.SCRIPT;

    private VariantFingerprint() {}

    static Fingerprint of(VariantBuildRequest request, Map<String, Path> localRpms, String sdkId) throws IOException {
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("scripts", Digests.sha256(SCRIPTS));
        f.put("variant", request.module() + ":" + request.version() + ":" + request.buildId());
        f.put("outputs", "images, build manifest, SBOMs");
        f.put("sdk", sdkId);
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", Long.toString(request.epoch().getEpochSecond()));
        f.put("options", request.options().toString());
        f.put("includedPackages", String.join(",", request.includedPackages()));
        for (Map.Entry<String, Path> rpm : localRpms.entrySet()) {
            f.putFile("local:" + rpm.getKey(), rpm.getValue());
        }
        for (int i = 0; i < request.kits().size(); i++) {
            KitRepository kit = request.kits().get(i);
            f.put("kit:" + i + ":" + kit.coordinates(), kit.payloadSha256() + " " + BuildManifestWriter.signer(kit));
        }
        for (Path settings : request.variantSettings()) {
            f.putFile("settings:" + settings.getFileName(), settings);
        }
        if (request.rootHashSigner().isPresent()) {
            f.put("rootHashSigner", request.rootHashSigner().get().certificateSha256());
        }
        if (request.secureBootSigner().isPresent()) {
            f.put("secureBootSigner", request.secureBootSigner().get().certificateSha256());
        }
        return f;
    }
}
