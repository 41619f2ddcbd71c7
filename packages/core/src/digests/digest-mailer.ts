import { processWide } from '@everyskill/base/process-wide';
import { createMailer, type Mailer } from '@everyskill/email';

// One mailer per process (nodemailer keeps its SMTP connection settings), built on first use.
const processMailer = processWide('digests.mailer', () => createMailer());

/** The process-wide mailer from the environment (SMTP_*, else MAIL_DIR). */
export function getMailer(): Mailer {
  return processMailer.get();
}

/** Replaces the process-wide mailer (tests); null rebuilds it from the environment on next use. */
export function setMailer(mailer: Mailer | null): void {
  processMailer.peek()?.close();
  processMailer.set(mailer ?? undefined);
}
