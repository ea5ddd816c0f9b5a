package io.caravan.core.ssh;

/**
 * @param transferred false when the remote file already had the same content and nothing was sent
 * @param bytes       bytes sent over the wire
 */
public record UploadResult(String remotePath, boolean transferred, long bytes, String sha256) {}
