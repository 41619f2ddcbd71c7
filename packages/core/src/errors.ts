// The error type lives in @everyskill/base, below every package that throws it; re-exported so
// `import { AppError } from '@everyskill/core'` keeps working.
export * from '@everyskill/base/errors';
