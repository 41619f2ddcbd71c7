/**
 * Skill safety scanning: `scanSkillBundle(files)` returns `{ rulesVersion, verdict, findings }`
 * for a bundle's text files. `SAFETY_RULES_VERSION` changes whenever a rule does.
 */
export { scanSkillBundle, verdictOf, SAFETY_RULES_VERSION } from './scan-skill-bundle';
export { showHiddenCharacters } from './hidden-unicode';
