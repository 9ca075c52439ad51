/**
 * The remembered nickname. localStorage can throw (storage disabled, quota, some private modes),
 * and losing the remembered name must never break the page, so every access is guarded.
 */
const NICKNAME_KEY = 'switchboard.nickname';

export function loadNickname(): string | null {
  try {
    const value = window.localStorage.getItem(NICKNAME_KEY);
    return value === null || value.trim() === '' ? null : value;
  } catch {
    return null;
  }
}

export function saveNickname(nickname: string): void {
  try {
    window.localStorage.setItem(NICKNAME_KEY, nickname);
  } catch {
    // Not remembered across reloads; this session still works.
  }
}
