import { OAuth2Server } from 'oauth2-mock-server';

/** Who the stand-in Google says is signing in: the ID token claims Auth.js reads. */
export interface OidcIdentity {
  email: string;
  email_verified?: boolean;
  /** Google's Workspace domain claim; omitted for consumer accounts. */
  hd?: string;
  name?: string;
}

export interface OidcProvider {
  issuer: string;
  /** The identity the next sign-in gets (until changed). */
  signInAs(identity: OidcIdentity): void;
  stop(): Promise<void>;
}

/** The issuer URL the e2e server's Google provider points at (AUTH_GOOGLE_ISSUER); one port, fixed per run. */
export function oidcIssuer(port = Number(process.env.E2E_OIDC_PORT ?? 3199)): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * A local OpenID Connect server standing in for Google (discovery, authorize with PKCE and nonce,
 * token, JWKS), so the real next-auth Google provider signs people in. The spec starts it and
 * chooses, per sign-in, which identity the ID token carries.
 */
export async function startOidcProvider(port = Number(process.env.E2E_OIDC_PORT ?? 3199)): Promise<OidcProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  let identity: OidcIdentity | null = null;
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    if (!identity) throw new Error('startOidcProvider: call signInAs() before signing in');
    Object.assign(token.payload, {
      sub: `google-oauth2|${identity.email}`,
      email: identity.email,
      email_verified: identity.email_verified ?? true,
      name: identity.name ?? identity.email.split('@')[0],
      ...(identity.hd ? { hd: identity.hd } : {}),
    });
  });
  // Pinned: the mock would otherwise call itself `localhost`, and Auth.js checks `iss` exactly.
  server.issuer.url = oidcIssuer(port);
  await server.start(port, '127.0.0.1');
  return {
    issuer: oidcIssuer(port),
    signInAs: (next) => {
      identity = next;
    },
    stop: () => server.stop(),
  };
}
