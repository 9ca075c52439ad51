/**
 * A stable hue for a name, so each speaker keeps one colour in the log and the member list. The
 * hue travels as a CSS variable; the stylesheet picks saturation and lightness per colour scheme,
 * which keeps every name readable on both light and dark backgrounds.
 */
export function nameHue(name: string): number {
  // FNV-1a over UTF-16 code units: tiny, fast and well spread for short strings.
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

export function setNameHue(element: HTMLElement, name: string): void {
  element.style.setProperty('--hue', String(nameHue(name)));
}
