package dev.twoliter.engine.rpm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds, in a build log, the BuildRequires that neither a dependency nor the SDK provides. */
final class MissingBuildRequires {
    /** dnf builddep: {@code No matching package to install: 'libfoo-devel >= 2'}. */
    private static final Pattern DNF = Pattern.compile("No matching package to install: '([^']+)'");
    /** dnf's solver: {@code - nothing provides libfoo.so.1()(64bit) needed by libbar-1.0-1.x86_64}. */
    private static final Pattern DNF_PROBLEM = Pattern.compile("nothing provides (.+?) needed by (\\S+)");
    /** rpmbuild's own check: a tab, then {@code libfoo-devel is needed by greet-1.0-1.x86_64}. */
    private static final Pattern RPMBUILD = Pattern.compile("^\\s+(.+?) is needed by \\S+$");

    private MissingBuildRequires() {}

    static List<String> in(String log) {
        Set<String> missing = new LinkedHashSet<>();
        Matcher dnf = DNF.matcher(log);
        while (dnf.find()) {
            missing.add(dnf.group(1));
        }
        Matcher problem = DNF_PROBLEM.matcher(log);
        while (problem.find()) {
            missing.add(problem.group(1) + " (needed by " + problem.group(2) + ")");
        }
        boolean inRpmbuildList = false;
        for (String line : log.split("\n")) {
            if (line.contains("Failed build dependencies:")) {
                inRpmbuildList = true;
                continue;
            }
            Matcher m = RPMBUILD.matcher(line);
            if (inRpmbuildList && m.matches()) {
                missing.add(m.group(1));
            } else {
                inRpmbuildList = false;
            }
        }
        return List.copyOf(missing);
    }
}
