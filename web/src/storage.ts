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

/**
 * The server password, for this tab only (sessionStorage): reconnects send it again without
 * asking, and it is gone when the tab closes. Saved only once the server accepted it.
 */
const PASSWORD_KEY = 'switchboard.password';

export function loadPassword(): string | null {
  try {
    const value = window.sessionStorage.getItem(PASSWORD_KEY);
    return value === null || value === '' ? null : value;
  } catch {
    return null;
  }
}

export function savePassword(password: string | null): void {
  try {
    if (password === null) window.sessionStorage.removeItem(PASSWORD_KEY);
    else window.sessionStorage.setItem(PASSWORD_KEY, password);
  } catch {
    // Asked again on the next reconnect; this connection still works.
  }
}
