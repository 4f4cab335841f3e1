/**
 * The signed-in demo customer. In sandbox mode the server signs a token for any user id
 * (`POST /_sandbox/sign-in`); a real shop gets its token from its own auth and hands it to the
 * provider's `getAuthToken` the same way.
 */
import { createTransport, sandboxSignIn } from '@tillkit/protocol/client';
import { apiBase } from '../config';
import { isRecord, localStore, useLocalStore } from './local-store';

export interface Session {
  userId: string;
  token: string;
}

/** When a JWT expires, in ms since the epoch (the sandbox's tokens last 7 days), or 0. */
function expiresAt(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return isRecord(claims) && typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

const store = localStore<Session | null>('tillkit-demo:session', null, (stored) =>
  isRecord(stored) &&
  typeof stored.userId === 'string' &&
  typeof stored.token === 'string' &&
  expiresAt(stored.token) > Date.now()
    ? { userId: stored.userId, token: stored.token }
    : undefined,
);

export function useSession(): Session | null {
  return useLocalStore(store);
}

/** For `<TillkitProvider getAuthToken>`: asked before every request, so always the current one. */
export function getAuthToken(): string | null {
  return store.get()?.token ?? null;
}

/** Signs in as a demo customer through the server's sandbox sign-in. */
export async function signIn(userId: string, email?: string): Promise<void> {
  const transport = createTransport({ apiBase });
  const { token } = await sandboxSignIn(transport, { userId, ...(email ? { email } : {}) });
  store.set({ userId, token });
}

export function signOut(): void {
  store.set(null);
}
