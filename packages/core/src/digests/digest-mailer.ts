import { createMailer, type Mailer } from '@everyskill/email';

// One mailer per process (nodemailer keeps its SMTP connection settings), built on first use.
const globalKey = Symbol.for('everyskill.digests.mailer');
type Holder = { [globalKey]?: Mailer };

/** The process-wide mailer from the environment (SMTP_*, else MAIL_DIR). */
export function getMailer(): Mailer {
  const holder = globalThis as Holder;
  holder[globalKey] ??= createMailer();
  return holder[globalKey];
}

/** Replaces the process-wide mailer (tests); null rebuilds it from the environment on next use. */
export function setMailer(mailer: Mailer | null): void {
  const holder = globalThis as Holder;
  holder[globalKey]?.close();
  if (mailer) holder[globalKey] = mailer;
  else delete holder[globalKey];
}
