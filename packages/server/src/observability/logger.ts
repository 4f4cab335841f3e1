/**
 * Structured logs with pino. Request bodies are never logged; secrets, tokens and client secrets
 * are redacted wherever they appear in a log object, also in a host app's own pino logger.
 */
import pino, { type Logger } from 'pino';
import Stripe from 'stripe';
import { TillkitError } from '../errors.js';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'stripe-signature',
  'clientSecret',
  'client_secret',
  'secret',
  'secretKey',
  'webhookSecret',
  'token',
  'password',
];

/** pino redact paths: each secret key at the top and up to three levels down. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_]\w*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) =>
    segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`;
  return [segment, join('*'), join('*.*'), join('*.*.*')];
});

/** Error serializer: code, status and message; for Stripe errors never their raw payload. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof Stripe.errors.StripeError) {
    return {
      type: error.type,
      code: error.code,
      statusCode: error.statusCode,
      requestId: error.requestId,
      message: error.message,
    };
  }
  if (error instanceof TillkitError) {
    return {
      type: error.name,
      code: error.code,
      status: error.status,
      message: error.message,
      ...(error.cause ? { cause: serializeError(error.cause) } : {}),
    };
  }
  if (error instanceof Error) {
    return {
      type: error.name,
      message: error.message,
      stack: error.stack,
      ...(error.cause ? { cause: serializeError(error.cause) } : {}),
    };
  }
  return { value: String(error) };
}

const SERIALIZERS = { err: serializeError };

/** The server's own logger (JSON lines on stdout). */
export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
) {
  return pino(
    {
      name: 'tillkit',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: SERIALIZERS,
    },
    options.destination,
  );
}

/** A child of a host's logger with Tillkit's redaction and serializers. */
export function tillkitChildLogger(parent: Logger): Logger {
  return parent.child(
    { component: 'tillkit' },
    { redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: SERIALIZERS },
  );
}
