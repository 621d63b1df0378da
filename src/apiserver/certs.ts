// The API server's PKI, generated on first start and kept in the data directory: a CA and a
// serving certificate for 127.0.0.1, localhost and the in-cluster names, signed by the CA.
// X.509 through @peculiar/x509 on WebCrypto (no hand-written ASN.1).

import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface ServerPki {
  caCert: string;   // PEM
  cert: string;     // PEM
  key: string;      // PEM (PKCS#8)
  /** Signs service-account tokens (PEM PKCS#8, EC P-256), as kube-apiserver's sa.key. */
  serviceAccountKey: string;
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000;

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

/** Loads the PKI from `dir`, creating it when missing. `ips` and `dnsNames` go into the SANs. */
export async function ensurePki(dir: string, ips: string[], dnsNames: string[]): Promise<ServerPki> {
  const files = { caCert: join(dir, 'ca.crt'), cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key') };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const serviceAccountKey = await ensureServiceAccountKey(join(dir, 'sa.key'));
  if (existsSync(files.caCert) && existsSync(files.cert) && existsSync(files.key)) {
    return { caCert: readFileSync(files.caCert, 'utf8'), cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8'), serviceAccountKey };
  }
  const now = new Date(Date.now() - 60_000);
  const notAfter = new Date(now.getTime() + TEN_YEARS);
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=knet-ca',
    notBefore: now,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: now,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pki: ServerPki = {
    caCert: ca.toString('pem') + '\n',
    cert: cert.toString('pem') + '\n',
    key: pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    serviceAccountKey,
  };
  writeFileSync(files.caCert, pki.caCert, { mode: 0o644 });
  writeFileSync(files.cert, pki.cert, { mode: 0o644 });
  writeFileSync(files.key, pki.key, { mode: 0o600 });
  return pki;
}

/** The service-account signing key, made once (also for data directories from before it existed). */
async function ensureServiceAccountKey(path: string): Promise<string> {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const pem = pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  writeFileSync(path, pem, { mode: 0o600 });
  return pem;
}
