// The launch.yaml area in one import for the audit, the CLI and the editor.
export * from './model';
export { parseLaunchYaml, LAUNCH_FILE_NAMES, type LaunchParseOptions, type LaunchParseResult } from './parse';
export { loadLaunchFile, type LoadedLaunchFile } from './load';
export { LAUNCH_RULES, launchRule } from './rules';
export { LAUNCH_SCHEMA, READINESS_ITEM_IDS } from './schema';
export { displayHost, isWithin, normalizeHost, normalizeWebUrl, publicSuffix, registrableDomain, sameRegistrableDomain, subdomainPart } from './domains';
export { generateStarterLaunchYaml, inferLaunchFacts, nodeFactSource, starterForWorkspace, type FactSource, type LaunchFacts } from './starter';
