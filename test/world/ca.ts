/*
 * A certificate authority made at run time, in pure JS (WebCrypto + @peculiar/x509), so HTTPS
 * tests run on any machine with Node 20 and never skip for want of openssl.
 *
 *   const ca = await createTestCa();
 *   const good = await ca.issue({ names: ['www.acme.test', 'acme.test'] });
 *   const expired = await ca.issue({ names: ['old.acme.test'], notAfter: daysFromNow(-3) });
 *   const selfSigned = await selfSignedCertificate(['self.acme.test']);
 *   https.createServer({ key: good.keyPem, cert: good.certPem + ca.certPem })
 *
 * Keys are ECDSA P-256 by default (fast); `key: { rsaBits: 1024 }` makes an RSA leaf for key-size
 * checks.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

type KeyPair = webcrypto.CryptoKeyPair;

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface IssuedCertificate {
  keyPem: string;
  certPem: string;
  notBefore: Date;
  notAfter: Date;
}

export interface IssueOptions {
  /** DNS names for subjectAltName (the first is also the CN); `*.acme.test` is a wildcard. */
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
  key?: { rsaBits: number };
}

export interface TestCa {
  certPem: string;
  issue(options: IssueOptions): Promise<IssuedCertificate>;
}

export function daysFromNow(days: number, now = Date.now()): Date {
  return new Date(now + days * 86_400_000);
}

let serial = 1;
const nextSerial = (): string => (serial++).toString(16).padStart(2, '0');

async function keyPair(options?: { rsaBits: number }): Promise<{ keys: KeyPair }> {
  if (options) {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: options.rsaBits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    return { keys: (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as KeyPair };
  }
  return { keys: (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as KeyPair };
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
}

function leafExtensions(names: string[]): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: 'dns' as const, value: name }))),
  ];
}

export async function createTestCa(name = 'Launch Ready Test CA'): Promise<TestCa> {
  const { keys } = await keyPair();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: daysFromNow(-30),
    notAfter: daysFromNow(3650),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: caCert.toString('pem') + '\n',
    async issue(options) {
      const leaf = await keyPair(options.key);
      const notBefore = options.notBefore ?? daysFromNow(-1);
      const notAfter = options.notAfter ?? daysFromNow(90);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: nextSerial(),
        subject: `CN=${options.names[0]}`,
        issuer: caCert.subject,
        notBefore,
        notAfter,
        publicKey: leaf.keys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: EC,
        extensions: [...leafExtensions(options.names), await x509.AuthorityKeyIdentifierExtension.create(caCert)],
      });
      return { keyPem: await privateKeyPem(leaf.keys.privateKey), certPem: cert.toString('pem') + '\n', notBefore, notAfter };
    },
  };
}

/** A certificate signed by its own key: no CA vouches for it. */
export async function selfSignedCertificate(names: string[]): Promise<IssuedCertificate> {
  const { keys } = await keyPair();
  const notBefore = daysFromNow(-1);
  const notAfter = daysFromNow(90);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${names[0]}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC,
    extensions: leafExtensions(names),
  });
  return { keyPem: await privateKeyPem(keys.privateKey), certPem: cert.toString('pem') + '\n', notBefore, notAfter };
}
