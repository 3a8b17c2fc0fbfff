package dev.twoliter.engine.update;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.tuf.TargetFile;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The targets a publication adds: the version's bank images, named {@code
 * <variant>-<arch>-<version>-<image>.<type>}, and the new {@code manifest.json} that lists them
 * next to every earlier version.
 *
 * @param files target name → the local file
 * @param roles target name → which image it is ({@code boot} or {@code uki-a} and {@code uki-b}, {@code root},
 *     {@code hash}, {@code manifest})
 */
record StagedTargets(SortedMap<String, TargetFile> targets, Map<String, Path> files, Map<String, String> roles) {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+){0,3}");

    static StagedTargets stage(PublishUpdateRequest request, CurrentRepository current, UpdateRepositoryStore store)
            throws TwoliterException {
        UpdateManifest manifest = readManifest(request, current, store);
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> roles = new LinkedHashMap<>();
        UpdatePayloads p = request.payloads();
        UpdateManifest.Images images = images(files, roles, request, request.payloads());
        manifest.add(new UpdateManifest.Update(request.variant(), request.arch(), request.version(),
                request.maxVersion(), request.waves().seeds(request.now()), images));
        Path manifestFile = request.workDir().resolve(UpdateManifest.TARGET_NAME);
        try {
            AtomicFiles.write(manifestFile, manifest.toBytes());
            SortedMap<String, TargetFile> targets = new TreeMap<>();
            files.put(UpdateManifest.TARGET_NAME, manifestFile);
            roles.put(UpdateManifest.TARGET_NAME, "manifest");
            for (Map.Entry<String, Path> e : files.entrySet()) {
                targets.put(e.getKey(), TargetFile.of(e.getValue()));
            }
            return new StagedTargets(targets, files, roles);
        } catch (IOException e) {
            throw new TwoliterException("Could not stage the update's targets in " + request.workDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A GRUB image's boot, root and hash images, or a UKI image's root and hash and one UKI per bank. */
    private static UpdateManifest.Images images(Map<String, Path> files, Map<String, String> roles,
            PublishUpdateRequest request, UpdatePayloads p) throws TwoliterException {
        if (p.ukis().isEmpty()) {
            String boot = add(files, roles, "boot", request, p.boot().orElse(null));
            return UpdateManifest.Images.grub(boot, add(files, roles, "root", request, p.root()),
                    add(files, roles, "hash", request, p.hash()));
        }
        Map<Bank, String> ukis = new EnumMap<>(Bank.class);
        for (Bank bank : Bank.values()) {
            ukis.put(bank, add(files, roles, UpdateManifest.Images.ukiKey(bank), request, p.ukis().get(bank)));
        }
        return UpdateManifest.Images.uki(ukis, add(files, roles, "root", request, p.root()),
                add(files, roles, "hash", request, p.hash()));
    }

    /** The repository's manifest, checked against its targets metadata; an empty one for a new repository. */
    private static UpdateManifest readManifest(PublishUpdateRequest request, CurrentRepository current,
            UpdateRepositoryStore store) throws TwoliterException {
        if (current.trusted().isEmpty()) {
            return UpdateManifest.empty();
        }
        TrustedRepository trusted = current.trusted().get();
        if (!trusted.targets().targets().containsKey(UpdateManifest.TARGET_NAME)) {
            return UpdateManifest.empty();
        }
        Path into = request.workDir().resolve("current-" + UpdateManifest.TARGET_NAME);
        try {
            trusted.fetchTarget(UpdateManifest.TARGET_NAME, StoreSource.targets(store, request.layout(),
                    request.workDir()), into);
        } catch (TufException e) {
            throw new TwoliterException("The update repository's " + UpdateManifest.TARGET_NAME + " could not be"
                    + " read: " + e.getMessage() + " Nothing was published.", e);
        }
        try {
            return UpdateManifest.parse(Files.readAllBytes(into), "The update repository's "
                    + UpdateManifest.TARGET_NAME);
        } catch (IOException e) {
            throw new TwoliterException("Could not read " + into + ": " + e.getMessage(), e);
        }
    }

    private static String add(Map<String, Path> files, Map<String, String> roles, String role,
            PublishUpdateRequest request, UpdatePayloads.Payload payload) throws TwoliterException {
        if (payload == null || !Files.isRegularFile(payload.file())) {
            throw new TwoliterException("The variant has no " + role + " image to publish"
                    + (payload == null ? "" : " (" + payload.file() + " is missing)") + "; build it with in-place"
                    + " updates.");
        }
        if (!TYPE.matcher(payload.type()).matches()) {
            throw new TwoliterException("The " + role + " image's type " + Syntax.show(payload.type())
                    + " cannot end a target name.");
        }
        String name = UpdateTargetNames.name(request.variant(), request.arch(), request.version().toString(), role,
                payload.type());
        files.put(name, payload.file());
        roles.put(name, role);
        return name;
    }
}
