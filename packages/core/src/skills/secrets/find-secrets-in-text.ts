import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';

/**
 * secretlint's recommended preset, as published, with one change: the AWS rule also reports bare
 * access key IDs (AKIA…), which the preset leaves off because an ID alone is not a credential;
 * in a shared skill it sits next to its secret. The same switch turns on account-ID matching
 * ("Account: 123456789012" in any report template), which is not a secret: that one stays off.
 */
export const secretlintConfig: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendedPreset,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] }],
    },
  ],
};

/** A secret found in a text: where it is (UTF-16 offsets) and which rule found it. */
export interface SecretMatch {
  start: number;
  end: number;
  /** Full rule id, e.g. `@secretlint/secretlint-rule-aws`. */
  ruleId: string;
  /** Short rule name for people and redaction markers, e.g. `aws`. */
  rule: string;
  /** What was found, e.g. `AWSSecretAccessKey`. */
  kind: string;
  /** secretlint's message with the secret itself masked. */
  message: string;
}

const shortRuleName = (ruleId: string) => ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
const mask = (secret: string) => `${secret.slice(0, 4)}… (${secret.length} characters)`;

/** Runs secretlint over one text and returns its findings, sorted by position. */
export async function findSecretsInText(text: string, filePath = 'payload.txt'): Promise<SecretMatch[]> {
  const result = await lintSource({
    source: { content: text, filePath, contentType: 'text' },
    options: { config: secretlintConfig, noPhysicFilePath: true },
  });
  const matches: SecretMatch[] = [];
  for (const message of result.messages) {
    if (message.type !== 'message') continue;
    let [start, end] = message.range;
    const secrets = Object.values(message.data ?? {}).filter((v): v is string => typeof v === 'string' && v.length >= 8);
    // Some rules report the range of the whole `KEY = value` match cut to the secret's length;
    // point at the secret itself, so the location is right and redaction leaves none of it.
    const found = secrets
      .map((secret) => ({ at: text.indexOf(secret, Math.max(0, start - secret.length)), length: secret.length }))
      .filter(({ at }) => at !== -1 && at <= end);
    if (found.length > 0) {
      start = Math.min(...found.map((f) => f.at));
      end = Math.max(...found.map((f) => f.at + f.length));
    }
    let masked = message.message;
    for (const secret of secrets) masked = masked.split(secret).join(mask(secret));
    const ruleId = message.ruleId;
    matches.push({ start, end, ruleId, rule: shortRuleName(ruleId), kind: message.messageId, message: masked });
  }
  return matches.sort((a, b) => a.start - b.start || b.end - a.end);
}
