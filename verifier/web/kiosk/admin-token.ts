/** The verifier admin token the "upgraded" check needs (POST /oid4vp/requests, its verdict): kept in this browser only. */
const KEY = 'netcred.kiosk.adminToken';

/** A token handed in the URL fragment (#admin=TOKEN, never sent to a server) is kept, then removed from the address bar. */
export function adoptTokenFromFragment(): void {
  const m = /^#admin=([^&]+)/.exec(location.hash);
  if (!m?.[1]) return;
  saveAdminToken(decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

export function loadAdminToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveAdminToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // storage blocked: asked again next time
  }
}

export function forgetAdminToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
