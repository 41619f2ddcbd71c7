import 'server-only';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import type { Provider } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import Google from 'next-auth/providers/google';
import { developmentSignInInput } from '@everyskill/contracts';
import { acceptSignIn, type SignedInPerson } from '@everyskill/core/auth/accept-sign-in';
import { safeRedirectTarget } from '@everyskill/core/auth/is-allowed-redirect';
import { getDatabase } from '@everyskill/db';
import { authSettingsOf, readServerEnv } from './env';
import { logger } from './logger';
import { isLiveSessionToken, SESSION_MAX_AGE_SECONDS, sessionCookieName } from './session-token';

declare module 'next-auth/jwt' {
  interface JWT {
    /** The person (users.id) and tenant (tenants.id) the session belongs to. */
    uid?: string;
    tid?: string;
    /** Epoch ms of the sign-in: sessions end 8 hours after it however active they are. */
    signedInAt?: number;
  }
}

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; tenantId: string };
  }
}

// The sign-in decision travels from the signIn callback to the jwt callback on the very user
// object Auth.js hands to both (there is no adapter); a WeakMap keeps it off the object's type.
const acceptedPeople = new WeakMap<object, SignedInPerson>();

function buildConfig(): NextAuthConfig {
  const env = readServerEnv();
  const auth = authSettingsOf(env);
  // next-auth reads its own URL from process.env.AUTH_URL only; derive it from APP_URL so the
  // callback URL, and every cookie, stay on the one host the browser uses.
  process.env.AUTH_URL = auth.authUrl;
  const providers: Provider[] = [];
  if (auth.google) {
    providers.push(
      Google({
        clientId: auth.google.clientId,
        clientSecret: auth.google.clientSecret,
        ...(auth.google.issuer ? { issuer: auth.google.issuer } : {}),
        authorization: { params: { prompt: 'select_account' } },
      }),
    );
  }
  if (auth.developmentSignIn) {
    providers.push(
      Credentials({
        id: 'development',
        name: 'Development sign-in',
        credentials: { email: { label: 'Email', type: 'email' } },
        // Vouches for any well-formed address; acceptSignIn applies the tenant rules to it.
        authorize: async (raw) => {
          const parsed = developmentSignInInput.safeParse(raw);
          return parsed.success ? { id: parsed.data.email, email: parsed.data.email } : null;
        },
      }),
    );
  }

  return {
    secret: auth.secret,
    basePath: '/api/auth',
    trustHost: true,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: auth.secureCookies,
    cookies: auth.cookieDomain
      ? {
          sessionToken: {
            name: sessionCookieName(auth),
            options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true, domain: auth.cookieDomain },
          },
        }
      : undefined,
    pages: { signIn: '/sign-in', error: '/sign-in/error' },
    providers,
    logger: {
      error: (error) => logger.error('auth error', { error: error.name, message: error.message }),
      warn: (code) => logger.warn('auth warning', { code }),
      debug: () => {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        const google = account?.provider === 'google';
        const decision = await acceptSignIn(
          (await getDatabase()).db,
          google
            ? {
                method: 'google',
                email: typeof profile?.email === 'string' ? profile.email : '',
                emailVerified: profile?.email_verified === true,
                hostedDomain: typeof profile?.hd === 'string' ? profile.hd : null,
                name: typeof profile?.name === 'string' ? profile.name : null,
                image: typeof profile?.picture === 'string' ? profile.picture : null,
              }
            : { method: 'development', email: user.email ?? '', emailVerified: true },
        );
        if (!decision.ok) {
          logger.info('sign-in refused', { reason: decision.reason, method: google ? 'google' : 'development' });
          return `/sign-in/refused?reason=${decision.reason}`;
        }
        acceptedPeople.set(user, decision.person);
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const person = acceptedPeople.get(user);
          if (!person) return null;
          return { sub: person.userId, uid: person.userId, tid: person.tenant.id, email: person.email, name: person.name, signedInAt: Date.now() };
        }
        return isLiveSessionToken(token) ? token : null;
      },
      session({ session, token }) {
        return { ...session, user: { id: token.uid ?? '', email: token.email ?? '', tenantId: token.tid ?? '' } };
      },
      redirect({ url, baseUrl }) {
        return safeRedirectTarget(url, baseUrl, env.ROOT_DOMAIN, auth.redirectOptions);
      },
    },
  };
}

/** Auth.js, configured from the environment at run time (never at build time). */
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
