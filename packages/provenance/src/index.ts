export * from './formats';
export { canonicalJson, envelopeSha256, sha256Hex } from './digests';
export { preAuthEncoding, signEnvelope, verifyEnvelope, type EnvelopeCheck } from './envelope';
export { generateSigningKey, keyIdOf, keyValidAt, signKeyRotation, verifyKeyChange, verifyKeySet } from './keys';
export { signSkillAttestation, skillSubjects, verifyAttestation, verifySubjects, type AttestationCheck } from './attestation';
export { logEntryHash, verifyLogChain, type ChainCheck } from './log-chain';
