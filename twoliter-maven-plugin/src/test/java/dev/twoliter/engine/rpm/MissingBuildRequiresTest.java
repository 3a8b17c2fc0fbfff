package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissingBuildRequiresTest {
    @Test
    void readsDnfBuilddepMisses() {
        String log = """
                twoliter: installing BuildRequires from 2 dependency RPM(s)
                No matching package to install: 'libnothere-devel'
                No matching package to install: 'libgreet-devel >= 9'
                Not all dependencies satisfied
                Error: Some packages could not be found.
                """;
        assertThat(MissingBuildRequires.in(log)).containsExactly("libnothere-devel", "libgreet-devel >= 9");
    }

    @Test
    void readsDnfSolverProblems() {
        String log = """
                 Problem: package libgreet-devel-1.0-1.x86_64 requires libgreet = 1.0-1, but none of the providers can be installed
                  - conflicting requests
                  - nothing provides libfoo.so.2()(64bit) needed by libgreet-1.0-1.x86_64
                """;
        assertThat(MissingBuildRequires.in(log)).containsExactly("libfoo.so.2()(64bit) (needed by libgreet-1.0-1.x86_64)");
    }

    @Test
    void readsRpmbuildsOwnCheck() {
        String log = """
                twoliter: rpmbuild -bb greet.spec
                error: Failed build dependencies:
                \tlibnothere-devel is needed by greet-1.0-1.x86_64
                \tnasm >= 2 is needed by greet-1.0-1.x86_64
                some other line
                \tunrelated is needed by nothing-here
                """;
        assertThat(MissingBuildRequires.in(log)).containsExactly("libnothere-devel", "nasm >= 2");
    }

    @Test
    void aCompilerErrorIsNotAMissingRequirement() {
        assertThat(MissingBuildRequires.in("main.c:3:1: error: expected ';' before '}' token\n")).isEmpty();
    }
}
