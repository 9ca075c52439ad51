/**
 * Looks up an element the page's HTML must contain. Failing loudly at start-up, with the id in the
 * message, beats a `null` surfacing later as "cannot read properties of null" in a listener.
 */
export function requireElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`index.html has no <${type.name}> with id "${id}"`);
  }
  return element;
}

/** True while the tab is in the background; checks both properties so either can be relied on. */
export function isDocumentHidden(): boolean {
  return document.hidden || document.visibilityState === 'hidden';
}

/** A new element with a class and, optionally, text (always as a text node, never as HTML). */
export function createElement<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
