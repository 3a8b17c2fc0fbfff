package dev.twoliter.engine.update;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;

/**
 * Where files go in an update repository, as Bottlerocket's repositories lay them out: one TUF
 * repository's metadata per variant and arch under {@code <variant>/<arch>/}, and the targets of
 * all of them under {@code targets/}, each named {@code <sha256>.<name>} (consistent snapshots).
 */
public record UpdateRepositoryLayout(String variant, String arch) {
    public static final String TARGETS_DIRECTORY = "targets/";

    public UpdateRepositoryLayout {
        if (!Syntax.isPlainFileName(variant) || !Syntax.isPlainFileName(arch)) {
            throw new IllegalArgumentException("variant and arch must be plain names: " + variant + ", " + arch);
        }
    }

    public String metadataPath(String fileName) throws TwoliterException {
        return variant + "/" + arch + "/" + plain(fileName);
    }

    public String targetPath(String storedName) throws TwoliterException {
        return TARGETS_DIRECTORY + plain(storedName);
    }

    private static String plain(String fileName) throws TwoliterException {
        if (!Syntax.isPlainFileName(fileName)) {
            throw new TwoliterException("The update repository names a file " + Syntax.show(fileName)
                    + ", which is not a plain file name; it is refused.");
        }
        return fileName;
    }
}
