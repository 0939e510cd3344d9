package dev.hypha.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsWithoutBordersOrTrailingBlanks() {
        String text = Table.of("name", "ready", "message")
                .row("web", "3/3", "")
                .row("database-primary", "0/1", "image not found")
                .row("x", null, "ok")
                .render();
        assertThat(text).isEqualTo("""
                NAME               READY   MESSAGE
                web                3/3
                database-primary   0/1     image not found
                x                  -       ok
                """);
    }

    @Test
    void indentsEveryLine() {
        assertThat(Table.of("a", "b").row("1", "2").render("  ")).isEqualTo("  A   B\n  1   2\n");
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> Table.of("a", "b").row("1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row has 1 cells, table has 2 columns");
    }
}
