package io.caravan.core.ssh;

/** A regular file in a remote directory: its name there and its size in bytes. */
public record RemoteFile(String name, long size) {}
