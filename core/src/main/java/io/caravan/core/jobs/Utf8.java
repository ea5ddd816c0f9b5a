package io.caravan.core.jobs;

/** Where a chunk of UTF-8 may be cut without splitting a character. */
public final class Utf8 {
    private Utf8() {}

    /**
     * The length of the longest prefix that ends on a character boundary: an incomplete multi-byte
     * sequence at the end is left for the next chunk. Bytes that are not UTF-8 at all are not held back.
     */
    public static int completePrefix(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) != 0x80) { // a lead byte or ASCII: is its sequence complete?
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return needed > back ? n - back : n;
            }
        }
        return n;
    }
}
