export * from './env';
export * from './mailer';
export * from './templates/digest-email';
