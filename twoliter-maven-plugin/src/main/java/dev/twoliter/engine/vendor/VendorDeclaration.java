package dev.twoliter.engine.vendor;

import java.util.Optional;

/**
 * An archive among a module's sources (an upstream release) whose dependencies are to be vendored.
 *
 * @param fileName the archive's name in SOURCES
 * @param kind Go modules or Cargo crates
 * @param root the project's directory inside the archive; empty: the archive's one top directory
 */
public record VendorDeclaration(String fileName, VendorKind kind, Optional<String> root) {}
