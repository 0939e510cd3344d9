package dev.hypha.store;

/** A stored value with the store revision of its last modification, for compare-and-swap updates. */
public record Versioned<T>(T value, long modRevision) {}
