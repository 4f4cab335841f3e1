/**
 * What the server says of itself (`GET /config`): whether it runs against the Stripe sandbox,
 * Stripe's test mode or live, or cannot be reached (the banner and the sandbox-only tools read
 * it), and whether its Checkout pages take promotion codes. Asked once per page load.
 */
import type { ConfigResponse } from '@tillkit/protocol';
import { createTransport, getConfig } from '@tillkit/protocol/client';
import { useEffect, useState } from 'react';
import { apiBase } from '../config';

export type ServerMode = 'loading' | 'sandbox' | 'test' | 'live' | 'unreachable';

type Answer = ConfigResponse | 'unreachable';

let asked: Promise<Answer> | null = null;

function askServer(): Promise<Answer> {
  asked ??= getConfig(createTransport({ apiBase })).then(
    (config) => config,
    () => {
      asked = null;
      return 'unreachable' as const;
    },
  );
  return asked;
}

function useServerConfig(): Answer | 'loading' {
  const [answer, setAnswer] = useState<Answer | 'loading'>('loading');
  useEffect(() => {
    let active = true;
    askServer().then((config) => active && setAnswer(config));
    return () => {
      active = false;
    };
  }, []);
  return answer;
}

export function useServerMode(): ServerMode {
  const config = useServerConfig();
  return typeof config === 'string' ? config : config.mode;
}

/** Whether the server's Checkout pages take promotion codes (false until it answered). */
export function usePromotionCodes(): boolean {
  const config = useServerConfig();
  return typeof config !== 'string' && config.promotionCodes;
}
