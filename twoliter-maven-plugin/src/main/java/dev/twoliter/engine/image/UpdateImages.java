package dev.twoliter.engine.image;

import dev.twoliter.engine.update.UpdateTargetNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bank images a release publishes as update targets (docs/updates.md), from the build's
 * outputs: root and hash, and the boot partition image (GRUB) or each bank's UKI (UKI with banks),
 * each with its target name and the path it is stored under, known before anything is published.
 * The build manifest and the published SBOMs both list them from here, so they cannot disagree.
 */
final class UpdateImages {
    /**
     * One update image.
     *
     * @param image what the image is to an updater: {@code boot}, {@code uki-a}, {@code uki-b}, {@code root} or {@code hash}
     * @param output the output file it is (classifier {@code root-verity} for the hash image)
     * @param target its name in an update repository
     * @param storedAs {@code targets/<sha256>.<target>}
     */
    record Image(String image, VariantBuildResult.Output output, String target, String storedAs) {
        String sha256() {
            return output.sha256();
        }

        String fileName() {
            return output.file().getFileName().toString();
        }
    }

    private static final List<String[]> GRUB = List.of(new String[] {"boot", "boot"}, new String[] {"root", "root"},
            new String[] {"hash", "root-verity"});
    private static final List<String[]> UKI_BANKS = List.of(new String[] {"uki-a", "uki-a"},
            new String[] {"uki-b", "uki-b"}, new String[] {"root", "root"}, new String[] {"hash", "root-verity"});

    private UpdateImages() {}

    /**
     * The update images in the order an updater names them (boot or the UKIs, root, hash); empty
     * for an image with one bank, which is not published as an update and has not all of them.
     */
    static List<Image> of(VariantBuildRequest request, List<VariantBuildResult.Output> outputs) {
        boolean ukiBanks = outputs.stream().anyMatch(o -> o.classifier().equals("uki-a"));
        List<Image> images = new ArrayList<>();
        for (String[] image : ukiBanks ? UKI_BANKS : GRUB) {
            Optional<VariantBuildResult.Output> out = outputs.stream().filter(o -> o.classifier().equals(image[1]))
                    .findFirst();
            if (out.isEmpty()) {
                return List.of();
            }
            String name = UpdateTargetNames.name(request.variantId(), request.arch().rpmName(), request.version(),
                    image[0], out.get().type());
            images.add(new Image(image[0], out.get(), name, UpdateTargetNames.storedAs(name, out.get().sha256())));
        }
        return List.copyOf(images);
    }
}
