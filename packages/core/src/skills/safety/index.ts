/**
 * Skill safety scanning: `scanSkillBundle(files)` returns `{ rulesVersion, verdict, findings }`
 * for a bundle's text files. `SAFETY_RULES_VERSION` changes whenever a rule does. A version's
 * stored scan is one row: `SELECT verdict, rules_version FROM skill_version_safety WHERE version_id = $1`.
 */
export { scanSkillBundle, verdictOf, SAFETY_RULES_VERSION } from './scan-skill-bundle';
export { showHiddenCharacters } from './hidden-unicode';
export { describeSafetyFindings } from './describe-safety-findings';
export { recordVersionSafety } from './record-version-safety';
export { loadVersionSafety, toVersionSafety, versionSafetyFromJson, versionSafetyJson } from './version-safety-view';
export { assertReleasedForAgents, loadVersionForAgents, withheldFromAgentsSql } from './withhold-blocked-version';
export { overrideSafetyVerdict } from './override-safety-verdict';
export { listHeldVersions, type HeldVersion } from './list-held-versions';
export { rescanSkillSafety } from './rescan-skill-safety';
export { getSafetyScanStatus, queueStaleSafetyRescans, requestSafetyRescan, type SafetyScanStatus } from './safety-rescans';
