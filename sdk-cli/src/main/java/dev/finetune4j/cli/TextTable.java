package dev.finetune4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for human output: columns as wide as their widest cell, two spaces apart, no
 * trailing spaces. Cells are shown {@link Visible}: a cell with a newline or an escape sequence
 * stays one cell of one row. Not thread-safe.
 */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;
    private final int columns;

    /**
     * @param headers the column headers; a header starting with {@code >} is right-aligned (the
     *     {@code >} is not printed)
     */
    TextTable(String... headers) {
        columns = headers.length;
        right = new boolean[columns];
        String[] names = new String[columns];
        for (int i = 0; i < columns; i++) {
            right[i] = headers[i].startsWith(">");
            names[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
        rows.add(names);
    }

    /** Adds a row; null cells print as empty, control characters in cells as escapes. */
    TextTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns
                    + " columns");
        }
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = cells[i] == null ? "" : Visible.of(String.valueOf(cells[i]));
        }
        rows.add(row);
        return this;
    }

    /** Prints the header and the rows, each line starting with {@code indent}. */
    void print(PrintWriter out, String indent) {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                String pad = " ".repeat(width[i] - row[i].codePointCount(0, row[i].length()));
                line.append(right[i] ? pad + row[i] : row[i] + pad);
                if (i < columns - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
