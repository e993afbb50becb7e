package dev.finetune4j.format;

/**
 * How the bytes of a written JSON Lines file begin. Every file is UTF-8; some providers document
 * that theirs must start with a UTF-8 byte-order mark (Azure OpenAI: "encoded in UTF-8 and include
 * a byte-order mark"), while others refuse one. A provider names its choice in {@link
 * dev.finetune4j.spi.ProviderDescriptor#uploadEncoding()}; {@link DatasetWriter#open(DatasetFormat,
 * FileEncoding, java.io.OutputStream)} writes it. Files read by this library may carry a UTF-8
 * byte-order mark or not: it is skipped.
 */
public enum FileEncoding {
    /** UTF-8 without a byte-order mark: the first byte is the first line's <code>{</code>. */
    UTF_8,
    /** UTF-8 starting with the byte-order mark {@code EF BB BF}. */
    UTF_8_WITH_BOM;

    private static final byte[] NONE = new byte[0];

    /** The bytes written before the first line: empty, or {@code EF BB BF}. A fresh array each call. */
    public byte[] preamble() {
        return this == UTF_8_WITH_BOM ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF} : NONE.clone();
    }
}
