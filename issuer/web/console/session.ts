/** The admin token lives in this tab's sessionStorage only (gone when the tab closes); never in localStorage or a cookie. */
const KEY = 'netcred.console.adminToken';

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // storage blocked: the token stays in memory for this page only
  }
}
