// One corpus file under construction: lines, and which of them hold a secret or a hard negative.

export interface ExpectedSecret {
  /** 1-based line on which the finding must start. */
  line: number;
  /** Provider or generic family, e.g. `stripe`, `generic-password`. */
  provider: string;
}

export interface HardNegative {
  line: number;
  kind: string;
}

export interface CorpusFile {
  path: string;
  content: string;
  expected: ExpectedSecret[];
  negatives: HardNegative[];
}

export class Doc {
  private readonly lines: string[] = [];
  readonly expected: ExpectedSecret[] = [];
  readonly negatives: HardNegative[] = [];
  constructor(readonly path: string) {}
  add(...lines: string[]): this {
    this.lines.push(...lines);
    return this;
  }
  /** Adds lines whose line number `at` (0-based within `lines`) holds a secret. */
  secret(provider: string, lines: string[], at = lines.length - 1): this {
    this.expected.push({ line: this.lines.length + 1 + at, provider });
    this.lines.push(...lines);
    return this;
  }
  negative(kind: string, lines: string[], at = lines.length - 1): this {
    this.negatives.push({ line: this.lines.length + 1 + at, kind });
    this.lines.push(...lines);
    return this;
  }
  build(): CorpusFile {
    return { path: this.path, content: this.lines.join('\n') + '\n', expected: this.expected, negatives: this.negatives };
  }
}

