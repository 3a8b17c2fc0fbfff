package dev.twoliter.maven;

import dev.twoliter.engine.SettingRanges;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.vm.VmRun;
import dev.twoliter.engine.vm.VmRunRequest;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Boots a built {@code variant} in a virtual machine: QEMU in the SDK container (nothing to install
 * here), SeaBIOS for GRUB images and OVMF for UKI images, KVM when this machine offers it and
 * software emulation otherwise, on a scratch copy of the image, with the serial console in the
 * build log. With {@code twoliter.run.expect} the run succeeds as soon as the console shows that
 * text, and fails otherwise; without it, the machine must power off by itself without a panic or a
 * dm-verity error. With {@code twoliter.run.secureBoot} the UEFI firmware enforces Secure Boot.
 * Bind it to {@code integration-test} to smoke-test every build; modules that are not variants are
 * skipped.
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractTwoliterMojo {
    /** Console text that makes the run succeed (and ends it), for example a login prompt. */
    @Parameter(property = "twoliter.run.expect")
    private String expect;

    /** The longest the machine may run, in seconds. */
    @Parameter(property = "twoliter.run.timeoutSeconds", defaultValue = "300")
    private int timeoutSeconds;

    /** Firmware: auto (what the bootloader needs: BIOS for grub, UEFI for uki), bios or uefi. */
    @Parameter(property = "twoliter.run.firmware", defaultValue = "auto")
    private String firmware;

    /** Accelerator: auto (KVM when usable here, else software emulation), kvm or tcg. */
    @Parameter(property = "twoliter.run.accel", defaultValue = "auto")
    private String accel;

    /** Memory of the machine, in MiB. */
    @Parameter(property = "twoliter.run.memoryMib", defaultValue = "512")
    private int memoryMib;

    /** Boot this copy of the OS disk instead of the built one (same format and compression). */
    @Parameter(property = "twoliter.run.image")
    private File image;

    /**
     * Enforce UEFI Secure Boot: OVMF's Secure Boot firmware on QEMU's q35 machine with SMM. The
     * firmware starts only an EFI loader signed by a certificate in its db (see
     * twoliter.run.efiVariables).
     */
    @Parameter(property = "twoliter.run.secureBoot", defaultValue = "false")
    private boolean secureBoot;

    /**
     * With secureBoot: the firmware's variable store (an OVMF_VARS_4M.fd copy with your PK, KEK and
     * db enrolled). Default: the SDK's test store, which trusts OVMF's "snakeoil" test certificate.
     */
    @Parameter(property = "twoliter.run.efiVariables")
    private File efiVariables;

    @Override
    boolean applies(MavenProjectFacts facts) {
        if (!"variant".equals(project.getPackaging())) {
            getLog().info(facts.module() + " is not a variant; nothing to run");
            return false;
        }
        return true;
    }

    @Override
    void build(Context context) throws TwoliterException, IOException {
        MavenProjectFacts facts = context.facts();
        Duration timeout = SettingRanges.seconds(timeoutSeconds, 5, 24 * 3600, "twoliter.run.timeoutSeconds");
        if (memoryMib < 128 || memoryMib > 65536) {
            throw new TwoliterException(facts.module() + ": twoliter.run.memoryMib is " + memoryMib
                    + "; use 128 to 65536.");
        }
        BootableImage bootable = BootableImage.read(facts.workDir(), facts.targetDir().resolve("image"))
                .orElseThrow(() -> new TwoliterException(facts.module() + ": the variant has not been built; run `mvn"
                        + " package twoliter:run`."));
        new VmRun(context.containers(), context.log()).run(new VmRunRequest(facts.module(), bootable,
                Optional.ofNullable(image).map(File::toPath), Optional.ofNullable(firmware),
                Optional.ofNullable(expect).filter(e -> !e.isEmpty()), timeout, memoryMib, accel, sdkImage, pullSdk,
                facts.workDir(), MavenTerms.INSTANCE, secureBoot, Optional.ofNullable(efiVariables).map(File::toPath)));
    }
}
