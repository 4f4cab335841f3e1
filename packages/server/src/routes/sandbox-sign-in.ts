/**
 * `POST /_sandbox/sign-in` (sandbox mode, no auth configured): a token for a demo user, signed
 * with the secret the server keeps in its data folder. Never mounted outside sandbox mode.
 */
import { sandboxSignInBody } from '@tillkit/protocol';
import { signHs256Token } from '../auth/jwt.js';
import { ConfigurationError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';

export const sandboxSignIn = defineRoute({
  name: 'sandboxSignIn',
  body: sandboxSignInBody,
  enabled: (services) => Boolean(services.sandbox?.signInSecret),
  async handle({ body, services }) {
    const settings = services.sandbox;
    if (!settings?.signInSecret) {
      throw new ConfigurationError('Sandbox sign-in needs sandbox mode with no auth configured.');
    }
    const token = await signHs256Token(settings.signInSecret, body, {
      issuer: settings.issuer,
      audience: settings.audience,
    });
    return { body: { token } };
  },
});
