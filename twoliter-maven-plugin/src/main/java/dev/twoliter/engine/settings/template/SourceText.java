package dev.twoliter.engine.settings.template;

/** A template body with where it starts in its file, so messages can give file lines. */
record SourceText(String template, String body, int firstLine) {
    /** "template:line" of the first place the text occurs in the body, or just the template. */
    String at(String text) {
        int index = body.indexOf(text);
        return index < 0 ? template : template + ":" + line(index);
    }

    /** The file line of a line of the body (1-based, as Handlebars counts). */
    int fileLine(int bodyLine) {
        return firstLine + bodyLine - 1;
    }

    private int line(int index) {
        int line = firstLine;
        for (int i = 0; i < index; i++) {
            if (body.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
