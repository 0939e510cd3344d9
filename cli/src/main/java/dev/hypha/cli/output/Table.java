package dev.hypha.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: upper-case headers, columns left-aligned and separated by three spaces,
 * no borders, no trailing blanks (kubectl's look), so it reads well and still greps and cuts.
 */
public final class Table {
    private static final String GAP = "   ";
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers;
    }

    public static Table of(String... headers) {
        return new Table(Arrays.stream(headers).map(String::toUpperCase).toList());
    }

    public static Table of(List<String> headers) {
        return of(headers.toArray(String[]::new));
    }

    /** Adds a row; a null cell prints as "-". */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toList());
        return this;
    }

    public Table row(List<?> cells) {
        return row(cells.toArray());
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The rendered table, every line ending in a newline. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<String> r : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], r.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths);
        for (List<String> r : rows) line(sb, r, widths);
        return sb.toString();
    }

    /** The table with every line prefixed by {@code indent}. */
    public String render(String indent) {
        return render().lines().map(l -> indent + l + "\n").reduce("", String::concat);
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) line.append(GAP);
            line.append(cells.get(i));
            if (i < cells.size() - 1) line.append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    @Override
    public String toString() {
        return render();
    }
}
