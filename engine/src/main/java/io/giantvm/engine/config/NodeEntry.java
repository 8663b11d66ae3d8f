package io.giantvm.engine.config;

/** One {@code nodes:} entry: where node {@code id} can be reached. */
public record NodeEntry(int id, String host, int meshPort, int controlPort) {}
