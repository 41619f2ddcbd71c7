import { z } from 'zod';

/** Why a sign-in was refused; each has its own page text in the web app. */
export const signInRefusalReason = z.enum([
  'email_invalid',
  'email_unverified',
  'hosted_domain_mismatch',
  'no_workspace',
  'workspace_inactive',
  'account_deactivated',
  'email_in_other_workspace',
]);
export type SignInRefusalReason = z.infer<typeof signInRefusalReason>;

/** The development sign-in form: an email address only (no password; never available in production). */
export const developmentSignInInput = z.object({
  email: z.string().trim().toLowerCase().email({ message: 'must be an email address such as ada@demo.test' }),
});
