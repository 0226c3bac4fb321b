import { expect, test } from "vitest";
import { csvCell, csvText } from "../src/lib/csv";

test("a cell Excel would run as a formula is kept as text", () => {
  expect(["=SUM(A1)", "+1", "-2", "@x", "\tx", "plain", "٣"].map(csvCell)).toEqual(["'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "plain", "٣"]);
});

test("commas, quotes and line breaks stay inside their cell", () => {
  expect(csvCell('say "hi", twice\nnow')).toBe('"say ""hi"", twice\nnow"');
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
});

test("the file starts with a byte-order mark, one line per row", () => {
  expect(csvText([["اليوم", "Stamps"], ["2027-03-01", 4]])).toBe("\ufeffاليوم,Stamps\r\n2027-03-01,4\r\n");
});
