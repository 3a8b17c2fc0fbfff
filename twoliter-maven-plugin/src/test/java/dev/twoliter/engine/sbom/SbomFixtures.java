package dev.twoliter.engine.sbom;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Subjects and packages the SBOM tests share. */
final class SbomFixtures {
    static final Instant BUILD_TIME = Instant.parse("2026-11-28T00:00:00Z");

    private SbomFixtures() {}

    static SbomSubject variant() {
        return new SbomSubject(SbomSubject.Kind.VARIANT, "com.example", "greet-os", "1.2.0", "x86_64",
                "twoliter-maven-plugin", "0.1.0-SNAPSHOT", BUILD_TIME);
    }

    static SbomSubject kit() {
        return new SbomSubject(SbomSubject.Kind.KIT, "com.example.vendor", "core-kit", "3.0.1", "aarch64",
                "twoliter-maven-plugin", "0.1.0-SNAPSHOT", BUILD_TIME);
    }

    static String hex(int length, char c) {
        return String.valueOf(c).repeat(length);
    }

    static SbomPackage rpm(String name, String license) {
        return new SbomPackage(name, 0, "1.0", "1", "x86_64", license, "com.example.vendor",
                name + "-1.0-1.x86_64.rpm", hex(64, 'a'), Optional.of("com.example.vendor:core-kit:3.0.1"),
                Optional.empty(), Optional.empty(), List.of());
    }

    /** A mix: kit and local packages, with and without sources, valid and invalid licenses, an epoch. */
    static List<SbomPackage> mix() {
        SbomPackage.SourceArchive glibcTar = new SbomPackage.SourceArchive("glibc-2.40.tar.xz", hex(128, '1'),
                Optional.of("https://ftp.gnu.org/gnu/glibc/glibc-2.40.tar.xz"));
        SbomPackage.SourceArchive glibcPatch = new SbomPackage.SourceArchive("glibc-fix.patch", hex(128, '2'));
        return List.of(
                new SbomPackage("glibc", 0, "2.40", "3", "x86_64", "LGPL-2.1-or-later AND GPL-2.0-or-later",
                        "com.example.vendor", "glibc-2.40-3.x86_64.rpm", hex(64, 'b'),
                        Optional.of("com.example.vendor:core-kit:3.0.1"), Optional.of("https://www.gnu.org/software/libc/"),
                        Optional.of("The GNU libc libraries"), List.of(glibcTar, glibcPatch)),
                new SbomPackage("glibc-devel", 0, "2.40", "3", "x86_64", "LGPL-2.1-or-later", "com.example.vendor",
                        "glibc-devel-2.40-3.x86_64.rpm", hex(64, 'c'), Optional.of("com.example.vendor:core-kit:3.0.1"),
                        Optional.empty(), Optional.of("Headers for glibc"), List.of(glibcPatch, glibcTar)),
                new SbomPackage("bash", 2, "5.2.26", "1.fc40", "x86_64", "GPLv3+", "com.example.vendor",
                        "bash-5.2.26-1.fc40.x86_64.rpm", hex(64, 'd'), Optional.of("com.example.vendor:core-kit:3.0.1"),
                        Optional.of("not a url"), Optional.of("The GNU Bourne Again shell"), List.of()),
                new SbomPackage("greet", 0, "0.1", "1", "noarch", "MIT", "local module com.example:greet",
                        "greet-0.1-1.noarch.rpm", hex(64, 'e'), Optional.empty(), Optional.empty(), Optional.empty(),
                        List.of(new SbomPackage.SourceArchive("greet-0.1.tar.gz", hex(128, '3')))),
                new SbomPackage("kernel", 0, "6.6.1", "1", "x86_64",
                        "(GPL-2.0-only WITH Linux-syscall-note) OR BSD-2-Clause", "com.example.vendor",
                        "kernel-6.6.1-1.x86_64.rpm", hex(64, 'f'), Optional.of("com.example.vendor:core-kit:3.0.1"),
                        Optional.empty(), Optional.empty(), List.of()),
                new SbomPackage("nolicense", 0, "1", "1", "x86_64", "", "com.example.vendor",
                        "nolicense-1-1.x86_64.rpm", hex(64, '0'), Optional.of("com.example.vendor:core-kit:3.0.1"),
                        Optional.empty(), Optional.empty(), List.of()));
    }

    /** Texts a hostile packager might write into every free field. */
    static final String HOSTILE = "Evil \"quoted\" \\ back\nslash\r\ttab \u0000nul \u001b[31m </script><script>alert(1)"
            + "</script> ünïcødé 𝄞 \u2028 (paren) {\"json\": true}";

    static SbomPackage hostile(String name) {
        return new SbomPackage(name, 0, "1.0", "1", "x86_64", HOSTILE, "Evil (Corp) <evil@example.com>: \"x\"",
                name + ".rpm", hex(64, '9'), Optional.of("evil.group:kit:1.0"), Optional.of("javascript:alert(1)"),
                Optional.of(HOSTILE), List.of(new SbomPackage.SourceArchive("evil.tar.gz", hex(128, '9'),
                        Optional.of("https://user:secret@example.com/evil.tar.gz#frag"))));
    }
}
