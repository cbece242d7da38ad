import type { LaunchConfig, YamlPath } from '../launch/model';
import type { Finding, Stage } from '../model';

// What the two documents are generated from. The generators are pure functions of this value, so
// the same launch.yaml and audit give byte-identical documents; only `generatedAt` differs between
// runs, and it is written on one marked line.

export type StageStatus = 'pass' | 'warn' | 'fail' | 'not-checked';

/** The parts of the last audit the documents use. */
export interface DocsAudit {
  /** When the audit ran (ISO 8601); shown as "last audit", never replaced by "now". */
  generatedAt: string;
  /** The machine (and route) the live checks ran from, when known. */
  checkedFrom?: string;
  /** `accepted` is set by the audit when a risk accepted in launch.yaml covers the finding. */
  findings: readonly (Finding & { accepted?: { risk: string } })[];
  /** Readiness per stage; a stage missing here was not checked. */
  stages: Partial<Record<Stage, StageStatus>>;
  /**
   * Readiness items a check actually answered (status pass, warn or fail), when the audit says so
   * per item. An item answered only by an attestation is not in this set: it was not checked.
   */
  checkedItems?: readonly string[];
  /** Latency samples the live checks took, when the audit kept them (findings carry only those over budget). */
  latency?: readonly { url: string; p95Ms?: number; samples?: number }[];
  /** What the DNS check read, when it ran. */
  dns?: DocsDnsFacts;
  /** The certificate each host served, keyed by host (hosts whose TLS handshake completed), when the HTTPS checks ran. */
  tls?: Readonly<Record<string, DocsCertificateFact>>;
}

export interface DocsCertificateFact {
  issuer: string;
  /** ISO 8601. */
  notAfter: string;
  /** Whole days from the audit to notAfter (negative once expired). */
  daysLeft: number;
}

export interface DocsDnsFacts {
  nameservers: readonly { host: string; provider?: string }[];
  dnssec: string;
  hosts: readonly { host: string; status: string; addresses: readonly string[]; cnames: readonly string[]; ttl?: number }[];
  caa: readonly { host: string; foundAt?: string; issuers: readonly string[] }[];
}

export interface EnvVariable {
  name: string;
  /** From the name or from what the secret scanner saw in the value; the value itself never leaves the loader. */
  secret: boolean;
  /** Listed under the environment's `required` in launch.yaml. */
  required: boolean;
  /** Workspace-relative env files that set it (empty: set nowhere in the workspace). */
  setIn: string[];
}

export interface EnvEnvironment {
  name: string;
  /** launch.yaml `environments.<name>.secretsStore`, when declared. */
  secretsStore?: string;
  /** Declared in launch.yaml (true) or only inferred from an env file name. */
  declared: boolean;
  variables: EnvVariable[];
}

export interface DocsInput {
  config: LaunchConfig;
  /** Workspace-relative path of launch.yaml (`launch.yaml` or `launch.yml`). */
  configPath: string;
  /** Line of a value in launch.yaml, for `launch.yaml#L12` links; undefined when unknown. */
  lineOf?: (path: YamlPath) => number | undefined;
  /** Relative path from the folder the documents are written to, to the workspace root (`''`, `../..`). */
  rootFromOut?: string;
  /** The last audit; without it every audited item is shown as "not checked". */
  audit?: DocsAudit;
  envInventory: readonly EnvEnvironment[];
  /** The one value allowed to differ between two runs over the same inputs. */
  generatedAt: string;
}
