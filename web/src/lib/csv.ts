/**
 * CSV files the browser builds itself (the stats table), with the rules of the members export the server writes
 * (loyalty.domain.member_export): UTF-8 with a byte-order mark, so Excel keeps Arabic; a cell starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so Excel shows it as text and never runs it.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return "\ufeff" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Saves `rows` as a file named `name` through a temporary link. */
export function downloadCsv(name: string, rows: readonly (readonly (string | number | null | undefined)[])[]): void {
  const url = URL.createObjectURL(new Blob([csvText(rows)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
