package dev.twoliter.engine.image;

/**
 * Quoting for text that enters grub.cfg. GRUB's script language, like a shell's, takes everything
 * between single quotes literally; a single quote itself is written as {@code '\''}. Control
 * characters are refused before they get here (a newline would end the command).
 */
final class GrubQuoting {
    private GrubQuoting() {}

    static String quote(String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("GRUB words are one line: " + value);
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
