//! Tables that fit the terminal (SPEC §14): on a terminal narrower than a table, the
//! columns a person can do without go first, then long cells wrap; in a pipe or a file a
//! table keeps its full width, so scripts and `less -S` see every column.

use comfy_table::{ColumnConstraint, Table};

/// The width the table takes with every cell on one line, counting only shown columns.
fn natural_width(table: &Table, hidden: &[usize]) -> usize {
    let widths = table.column_max_content_widths();
    let shown: Vec<usize> = (0..widths.len()).filter(|i| !hidden.contains(i)).collect();
    let cells: usize =
        shown.iter().map(|&i| usize::from(widths[i]) + table.column(i).map_or(2, |c| usize::from(c.padding_width()))).sum();
    cells + shown.len() + 1
}

/// Hides the columns of `droppable`, in that order, until the table fits the terminal;
/// whatever is still too wide wraps (the table's arrangement is dynamic). Does nothing
/// when the output is not a terminal.
pub(crate) fn fit(table: &mut Table, droppable: &[usize]) {
    let Some(width) = table.width() else { return };
    let mut hidden = Vec::new();
    for &i in droppable {
        if natural_width(table, &hidden) <= usize::from(width) {
            break;
        }
        if let Some(c) = table.column_mut(i) {
            c.set_constraint(ColumnConstraint::Hidden);
            hidden.push(i);
        }
    }
}
