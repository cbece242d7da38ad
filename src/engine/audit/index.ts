// The audit in one import for the CLI, the editor and the docs generator.
export { runAudit, type AuditOptions, type AuditResult } from './run';
export {
  buildReport,
  isStageLevelRule,
  loadReport,
  openFindings,
  readinessItemsForFinding,
  saveReport,
  sortReportFindings,
  ReportFormatError,
  REPORT_DIR,
  REPORT_FILE,
  STAGE_LEVEL_RULES,
  type Acceptance,
  type CheckId,
  type CertificateFact,
  type CheckRun,
  type ItemReadiness,
  type ItemStatus,
  type Report,
  type ReportFacts,
  type ReportFinding,
  type StageReadiness,
  type StageStatus,
} from './report';
export { auditToText, type AuditTextOptions } from './text';
export { isStageLevelFinding, stagesOfFinding, stageStatusOf, type PlacedFinding } from '../readiness/stage-status';
export { AUDIT_RULES, auditRule } from './rules';
export { declarationFor, hostDeclarations, ownerCandidates, withDeclarations, type DeclarationKind, type HostDeclaration, type PositionOf } from './declarations';
