/** Variables a test server must never inherit from the shell that runs the tests. */
const CONFIG_VARIABLES = [
  'APP_ENV',
  'APP_URL',
  'ROOT_DOMAIN',
  'AUTH_SECRET',
  'AUTH_URL',
  'AUTH_GOOGLE_ID',
  'AUTH_GOOGLE_SECRET',
  'AUTH_GOOGLE_ISSUER',
  'AUTH_DEV_SIGN_IN',
  'DATABASE_URL',
  'DATABASE_OWNER_URL',
  'DATABASE_POOL_MAX',
  'EVERYSKILL_DATA_DIR',
  'LOG_LEVEL',
  'METRICS_TOKEN',
  'CRON_SECRET',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'SMTP_SECURE',
  'MAIL_FROM',
  'MAIL_DIR',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'VOYAGE_API_KEY',
  'OLLAMA_HOST',
  'EMBEDDING_PROVIDER',
  'STORAGE_DRIVER',
  'STORAGE_LOCAL_DIR',
  'DEV_TENANT_SLUG',
  'PORT',
  'HOSTNAME',
  'NODE_OPTIONS',
] as const;

/** The parent environment without EverySkill configuration, plus exactly the given variables. */
export function isolatedEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}
