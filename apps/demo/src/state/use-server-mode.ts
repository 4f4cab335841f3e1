/**
 * Whether the server runs against the Stripe sandbox, Stripe's test mode or live (`GET /config`),
 * or cannot be reached: the banner and the sandbox-only tools read it. Asked once per page load.
 */
import { createTransport, getConfig } from '@tillkit/protocol/client';
import { useEffect, useState } from 'react';
import { apiBase } from '../config';

export type ServerMode = 'loading' | 'sandbox' | 'test' | 'live' | 'unreachable';

let asked: Promise<ServerMode> | null = null;

function askServer(): Promise<ServerMode> {
  asked ??= getConfig(createTransport({ apiBase })).then(
    (config) => config.mode,
    () => {
      asked = null;
      return 'unreachable' as const;
    },
  );
  return asked;
}

export function useServerMode(): ServerMode {
  const [mode, setMode] = useState<ServerMode>('loading');
  useEffect(() => {
    let active = true;
    askServer().then((answer) => active && setMode(answer));
    return () => {
      active = false;
    };
  }, []);
  return mode;
}
