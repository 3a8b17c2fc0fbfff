package dev.twoliter.engine.net;

/** What a finished download wrote: its length and SHA-512 (hex), computed while it arrived. */
public record Downloaded(long bytes, String sha512) {}
