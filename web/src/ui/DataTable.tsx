import type { ComponentChildren } from "preact";

export interface Row {
  key: string;
  cells: ComponentChildren[];
}

interface DataTableProps {
  /** The table's accessible name: a caption shown above it, or only a label. */
  caption?: string;
  label?: string;
  columns: readonly string[];
  rows: readonly Row[];
  /** The first cell names its row (a day, a tier): a row header. */
  rowHeaders?: boolean;
}

/**
 * A table on a desktop, a stack of cards on a phone (each cell then says its column): nothing breaks one
 * character a line. The roles are written out, as a table laid out as blocks keeps them only if told. When the
 * table is wider than the screen its frame scrolls, and takes the keyboard's focus so it can be scrolled.
 */
export function DataTable({ caption, label, columns, rows, rowHeaders = false }: DataTableProps) {
  const name = caption ?? label;
  return (
    <div class="table-scroll" role="region" aria-label={name} tabIndex={0}>
      <table class="cards" role="table" aria-label={caption ? undefined : label}>
        {caption && <caption>{caption}</caption>}
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column} scope="col" role="columnheader">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.key} role="row">
              {row.cells.map((cell, index) =>
                index === 0 && rowHeaders ? (
                  <th key={index} scope="row" role="rowheader" data-label={columns[index]}>
                    {cell}
                  </th>
                ) : (
                  <td key={index} role="cell" data-label={columns[index]}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
