import { withBase62Checksum } from '../../src/engine/secrets/checksums';

// Fake secrets are assembled at run time from a seeded generator, so no token-shaped literal
// lives in the repository for our own scanner or anyone's push protection to trip over.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fakes {
  private readonly random: () => number;
  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }
  pick(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)];
    return out;
  }
  alnum(length: number): string {
    return this.pick(ALNUM, length);
  }
  hex(length: number): string {
    return this.pick(HEX, length);
  }
  githubToken(kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p'): string {
    return withBase62Checksum(`gh${kind}_`, this.alnum(30));
  }
  npmToken(): string {
    return withBase62Checksum(['n', 'p', 'm', '_'].join(''), this.alnum(30));
  }
  stripeKey(mode: 'live' | 'test' = 'live'): string {
    return ['sk', mode, this.alnum(24)].join('_');
  }
  awsKeyId(): string {
    return 'AK' + 'IA' + this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
  }
  awsSecret(): string {
    return this.pick(ALNUM + '/+', 40);
  }
}
