// Service-account tokens: TokenRequest (POST serviceaccounts/<name>/token, what `kubectl
// create token` and the node agent's projected volumes ask for) issues a JWT signed with the
// cluster's service-account key, with upstream's claims (iss, sub
// system:serviceaccount:<ns>:<name>, aud, exp/iat/nbf, jti and the `kubernetes.io` private
// claim naming the account and any bound object). Requests bearing such a token are
// authenticated while it has not expired and its service account (and bound object) still
// exist with the same uid, as kube-apiserver's token authenticator checks.

import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { ApiError } from '../lib/errors.ts';

export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const BOUND_KINDS = new Set(['Pod', 'Secret', 'Node']);

export interface TokenIdentity {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  bound?: { kind: string; name: string; uid: string };
}

export class ServiceAccountTokens {
  private privateKey: KeyObject;
  private publicKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
  }

  /**
   * Checks a TokenRequest's spec as upstream validation does, fills its defaults, and returns
   * the TokenRequest answer with status.token and status.expirationTimestamp.
   */
  async issue(sa: any, request: any, bound?: any): Promise<any> {
    const spec = { ...(request?.spec ?? {}) };
    const name = sa.metadata.name;
    spec.expirationSeconds ??= 3600;
    if (typeof spec.expirationSeconds !== 'number' || !Number.isInteger(spec.expirationSeconds)) {
      throw new ApiError('BadRequest', `TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.expirationSeconds: expected an integer, got ${JSON.stringify(spec.expirationSeconds)}`);
    }
    spec.audiences = spec.audiences?.length ? spec.audiences : [API_AUDIENCE];
    const errs: { field: string; message: string }[] = [];
    if (spec.expirationSeconds < MIN_SECONDS) errs.push({ field: 'spec.expirationSeconds', message: `Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes` });
    if (spec.expirationSeconds > MAX_SECONDS) errs.push({ field: 'spec.expirationSeconds', message: `Invalid value: ${spec.expirationSeconds}: may not specify a duration larger than 2^32 seconds` });
    const ref = spec.boundObjectRef;
    if (ref && !BOUND_KINDS.has(ref.kind)) errs.push({ field: 'spec.boundObjectRef.kind', message: `Unsupported value: "${ref.kind}": supported values: "Node", "Pod", "Secret"` });
    if (errs.length) {
      throw new ApiError('Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: ${errs.map((e) => `${e.field}: ${e.message}`).join(', ')}`, {
        name, group: 'authentication.k8s.io', kind: 'TokenRequest', causes: errs.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field })),
      });
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = now + spec.expirationSeconds;
    const k8s: any = { namespace: sa.metadata.namespace, serviceaccount: { name, uid: sa.metadata.uid } };
    if (bound) k8s[bound.kind.toLowerCase()] = { name: bound.metadata.name, uid: bound.metadata.uid };
    const token = await new SignJWT({ 'kubernetes.io': k8s })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setSubject(`system:serviceaccount:${sa.metadata.namespace}:${name}`)
      .setAudience(spec.audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace: sa.metadata.namespace, creationTimestamp: null },
      spec,
      status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
    };
  }

  /** The identity a valid token for the API audience names, or undefined. */
  async verify(token: string): Promise<TokenIdentity | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer: ISSUER, audience: API_AUDIENCE, algorithms: ['ES256'] });
      const k = payload['kubernetes.io'] as any;
      if (!k?.namespace || !k?.serviceaccount?.name) return undefined;
      const boundKind = ['pod', 'secret', 'node'].find((x) => k[x]);
      return {
        namespace: k.namespace,
        serviceAccount: { name: k.serviceaccount.name, uid: k.serviceaccount.uid },
        bound: boundKind ? { kind: boundKind[0].toUpperCase() + boundKind.slice(1), name: k[boundKind].name, uid: k[boundKind].uid } : undefined,
      };
    } catch {
      return undefined;
    }
  }
}
