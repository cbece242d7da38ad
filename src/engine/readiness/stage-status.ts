import { STAGES, type Severity, type Stage } from '../model';
import { readinessItem } from './catalog';

// Where a finding counts and how a stage reads, in one place: the audit report (and so the CLI,
// the JSON and the generated documents) and the editor's tree both decide through here, so they
// cannot disagree about a stage.

export type StageStatus = 'pass' | 'warn' | 'fail' | 'not-checked';
export type ItemStatus = StageStatus | 'attested' | 'not-applicable';

/** What places a finding: the stage its rule files it under and the readiness items the audit mapped it to. */
export interface PlacedFinding {
  stage: Stage;
  items?: readonly string[];
}

/** Item ids the catalogue knows (a report from another version may name others). */
function knownItems(finding: PlacedFinding): string[] {
  return Array.isArray(finding.items) ? finding.items.filter((id) => typeof id === 'string' && readinessItem(id) !== undefined) : [];
}

/**
 * A finding that bears on no readiness item (launch.yaml problems, a check that could not run, an
 * extra the catalogue has no item for): it counts on the stage it is filed under.
 */
export function isStageLevelFinding(finding: PlacedFinding): boolean {
  return knownItems(finding).length === 0;
}

/**
 * The stages a finding counts in, in roadmap order: those of the readiness items it bears on (a
 * plain-HTTP host found by the HTTPS checks answers D3, so it counts in "DNS and redirects"), or
 * the stage it is filed under when it bears on none. Never both: a finding counts where the item
 * it fails is shown.
 */
export function stagesOfFinding(finding: PlacedFinding): Stage[] {
  const items = knownItems(finding);
  if (items.length === 0) return [finding.stage];
  const stages = new Set(items.map((id) => readinessItem(id)?.stage));
  return STAGES.filter((stage) => stages.has(stage));
}

const isSevere = (severity: Severity): boolean => severity === 'blocker' || severity === 'high';

/**
 * A stage's status from its items' statuses and the severities of its open stage-level findings.
 * It fails or warns when an item or a stage-level finding does; it passes when a check answered
 * one of its items, or when a person settled every item (attested or not applicable); otherwise it
 * is not checked: an attestation of one item says nothing about the others.
 */
export function stageStatusOf(items: readonly ItemStatus[], stageLevel: readonly Severity[]): StageStatus {
  if (items.includes('fail') || stageLevel.some(isSevere)) return 'fail';
  if (items.includes('warn') || stageLevel.length > 0) return 'warn';
  if (items.includes('pass')) return 'pass';
  if (items.length > 0 && items.every((status) => status === 'attested' || status === 'not-applicable')) return 'pass';
  return 'not-checked';
}
