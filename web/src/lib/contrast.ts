/**
 * WCAG 2.x contrast (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio), as the server checks a brand's colours: text
 * at AA needs 4.5:1 against its background. The dashboard warns before saving; the server's 422 LOW_CONTRAST is the
 * rule.
 */
export const MIN_TEXT_CONTRAST = 4.5;

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => {
    const value = parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  const [red, green, blue] = channels as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

export function isHexColor(value: string): boolean {
  return /^#[0-9A-Fa-f]{6}$/.test(value);
}

export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** The label colour a pass shows: the tier's when it is readable on the background, else the brand's own. */
export function passLabelColor(background: string, label: string, tierColor: string | null | undefined): string {
  return tierColor && isHexColor(tierColor) && contrastRatio(tierColor, background) >= MIN_TEXT_CONTRAST ? tierColor : label;
}
