// Which top-level message each `<apiVersion>/<kind>` decodes as: the kinds kubectl's typed
// clients (create generators, create token, auth can-i) send as Protobuf, plus Pod and
// CronJob, which share their parts.

import { SchemaRegistry } from './schema.ts';
import { metaMessages } from './messages/meta.ts';
import { coreMessages } from './messages/core.ts';
import { podMessages } from './messages/pod.ts';
import { workloadMessages } from './messages/workloads.ts';
import { networkingMessages } from './messages/networking.ts';
import { authMessages } from './messages/auth.ts';

export const registry: SchemaRegistry = new SchemaRegistry()
  .add(metaMessages).add(coreMessages).add(podMessages).add(workloadMessages)
  .add(networkingMessages).add(authMessages);

const messageOfKind: Readonly<Record<string, string>> = {
  'v1/Service': 'Service',
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Pod': 'Pod',
  'apps/v1/Deployment': 'Deployment',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
};

export const PROTOBUF_KINDS: readonly string[] = Object.freeze(Object.keys(messageOfKind));

export function messageForKind(apiVersion: string, kind: string): string | undefined {
  return Object.hasOwn(messageOfKind, `${apiVersion}/${kind}`) ? messageOfKind[`${apiVersion}/${kind}`] : undefined;
}
