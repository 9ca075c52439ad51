/**
 * The same notice again and again in a row (a refusal on every reconnect attempt, say) is shown
 * once with a count, "× 3", so it reads as one thing that keeps happening and does not push the
 * conversation out of view. Chat lines never collapse: two people may well both say "ok".
 */

/** Marks a notice entry as collapsible with others of the same kind and text. */
export function markRepeatable(entry: HTMLElement, kind: string, text: string): void {
  entry.dataset['repeat'] = `${kind}\n${text}`;
}

/**
 * When `entry` repeats `last`, counts it on `last` and returns true: the caller shows nothing new.
 * The count is spoken as "(3 times)"; the "×3" beside the text is for the eye only.
 */
export function absorbRepeat(last: Element | null, entry: HTMLElement): boolean {
  const key = entry.dataset['repeat'];
  if (key === undefined || !(last instanceof HTMLElement) || last.dataset['repeat'] !== key) return false;
  const count = Number(last.dataset['repeats'] ?? '1') + 1;
  last.dataset['repeats'] = String(count);
  const text = last.querySelector('.entry__text') ?? last;
  let badge = text.querySelector('.entry__repeat');
  if (badge === null) {
    badge = document.createElement('span');
    badge.className = 'entry__repeat';
    text.append(' ', badge);
  }
  const shown = document.createElement('span');
  shown.setAttribute('aria-hidden', 'true');
  shown.textContent = `×${count}`;
  const spoken = document.createElement('span');
  spoken.className = 'visually-hidden';
  spoken.textContent = `(${count} times)`;
  badge.replaceChildren(shown, spoken);
  return true;
}
