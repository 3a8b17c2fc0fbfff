package dev.twoliter.engine.sbom;

import dev.twoliter.engine.Syntax;
import java.util.regex.Pattern;

/**
 * One of a release's update images (docs/updates.md), as the SBOMs published beside the images list
 * it: the output file, its digest, and the names an update repository gives it. The SBOMs inside the
 * image cannot list these: the root image's digest covers them.
 *
 * @param image what it is to an updater: {@code boot}, {@code uki-a}, {@code uki-b}, {@code root} or {@code hash}
 * @param fileName the output file's name, as published beside the images
 * @param sha256 digest of the file, 64 lowercase hex digits
 * @param target its target name in an update repository
 * @param storedAs the path the repository stores it under, {@code targets/<sha256>.<target>}
 */
public record SbomUpdateImage(String image, String fileName, String sha256, String target, String storedAs) {
    static final int MAX_NAME_LENGTH = 1024;
    private static final Pattern IMAGE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public SbomUpdateImage {
        if (image == null || !IMAGE.matcher(image).matches()) {
            throw new SbomInputException("SBOM update image " + Syntax.show(image)
                    + ": the image is not a lowercase name such as root");
        }
        String what = "SBOM update image " + image;
        if (!isName(fileName)) {
            throw new SbomInputException(what + ": file name " + Syntax.show(fileName)
                    + " is not a file name of one line without whitespace");
        }
        if (!Syntax.isSha256(sha256)) {
            throw new SbomInputException(what + ": sha256 " + Syntax.show(sha256) + " is not 64 lowercase hex digits");
        }
        if (!isName(target)) {
            throw new SbomInputException(what + ": target " + Syntax.show(target)
                    + " is not a name of one line without whitespace");
        }
        if (storedAs == null || !Syntax.isOneLine(storedAs, MAX_NAME_LENGTH) || storedAs.isEmpty()
                || storedAs.codePoints().anyMatch(Character::isWhitespace)) {
            throw new SbomInputException(what + ": stored-as path " + Syntax.show(storedAs)
                    + " is not one line without whitespace");
        }
    }

    private static boolean isName(String name) {
        return name != null && !name.isEmpty() && Syntax.isOneLine(name, MAX_NAME_LENGTH) && !name.contains("/")
                && !name.equals(".") && !name.equals("..") && name.codePoints().noneMatch(Character::isWhitespace);
    }
}
