import { performance } from 'node:perf_hooks';
import { accumulateEdits, rescanText, type PreviousScan } from '../src/engine/secrets/incremental';
import { scanText } from '../src/engine/secrets/scan';
import { Fakes, seededRandom } from '../test/support/fakes';
import { sourceFileOfLines } from './tree-generator';

// `npm run bench:incremental`: what a keystroke costs the editor in a 10,000-line file, a full
// re-check next to re-checking only the lines around the change, in one run on the same edits.
// Prints figures; asserts only that both give the same findings.

const SEED = 20_251_125;
const LINES = 10_000;
const EDITS = 200;
const WARMUP = 20;
const PATH = 'apps/web/src/large-module.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const random = seededRandom(SEED);
  // A realistic module with a fake secret every 500 lines, so findings move and get re-found.
  const fakes = new Fakes(SEED);
  const lines = sourceFileOfLines(SEED, LINES).split('\n');
  for (let i = 250; i < LINES; i += 500) lines[i] = `const token${i} = "${fakes.githubToken()}";`;
  let text = lines.join('\n');
  let previous: PreviousScan = { text, findings: scanText(text, { path: PATH }) };
  const full: number[] = [];
  const incremental: number[] = [];
  let fragments = 0;
  let scannedLines = 0;
  for (let i = 0; i < WARMUP + EDITS; i++) {
    // One typed character somewhere in the file, as the debounced re-check sees it.
    const offset = Math.floor(random() * text.length);
    const typed = 'abcdefghij'[i % 10];
    const edited = text.slice(0, offset) + typed + text.slice(offset);
    const changed = accumulateEdits(undefined, [{ offset, length: 0, text: typed }]);

    let started = performance.now();
    const expected = scanText(edited, { path: PATH });
    const fullMs = performance.now() - started;

    started = performance.now();
    const result = rescanText(previous, changed, edited, { path: PATH });
    const incrementalMs = performance.now() - started;

    if (JSON.stringify(result.findings) !== JSON.stringify(expected)) throw new Error(`edit ${i}: the re-check differs from a full scan`);
    if (i >= WARMUP) {
      full.push(fullMs);
      incremental.push(incrementalMs);
      if (result.method === 'fragment' && result.scannedLines) {
        fragments++;
        scannedLines += result.scannedLines[1] - result.scannedLines[0] + 1;
      }
    }
    text = edited;
    previous = { text, findings: result.findings };
  }
  const fullMedian = median(full);
  const incrementalMedian = median(incremental);
  console.log(`${LINES.toLocaleString('en')}-line file (${(text.length / 1e3).toFixed(0)} kB, ${previous.findings.length} findings), ${EDITS} one-character edits`);
  console.log(`  full re-check         median ${fullMedian.toFixed(2).padStart(6)} ms`);
  console.log(`  changed lines only    median ${incrementalMedian.toFixed(2).padStart(6)} ms   (${fragments}/${EDITS} as fragments, ~${Math.round(scannedLines / Math.max(1, fragments))} lines scanned each)`);
  console.log(`  ratio                 ${(fullMedian / incrementalMedian).toFixed(1)}× faster`);
}

main();
