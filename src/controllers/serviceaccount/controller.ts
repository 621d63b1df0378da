// Two small upstream controllers that give every namespace what in-cluster clients expect:
//   - the service-account controller: a `default` ServiceAccount in every active namespace
//     (re-created when deleted), which pods run as when they name none;
//   - the root CA publisher: a `kube-root-ca.crt` ConfigMap holding the API server's CA
//     (`ca.crt`), which service-account token volumes project next to the token.

import { isAlreadyExists, isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';

const namespacesR = resource('namespaces');
const serviceAccountsR = resource('serviceaccounts');
const configMapsR = resource('configmaps');
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export function startServiceAccountControllers(ctx: ControllerContext): void {
  const namespaces = ctx.informers.informer(namespacesR);
  const serviceAccounts = ctx.informers.informer(serviceAccountsR);
  const configMaps = ctx.informers.informer(configMapsR);
  const caCert = ctx.client.config.caCert;
  const rec = startReconciler(ctx, { name: 'serviceaccount', workers: 2, reconcile });
  namespaces.onChange((e) => {
    if (e.type !== 'DELETED') rec.enqueue(e.obj.metadata.name);
  });
  serviceAccounts.onChange((e) => {
    if (e.type === 'DELETED' && e.obj.metadata.name === 'default') rec.enqueue(e.obj.metadata.namespace);
  });
  configMaps.onChange((e) => {
    if (e.obj.metadata.name === ROOT_CA_CONFIGMAP && (e.type === 'DELETED' || e.obj.data?.['ca.crt'] !== caCert)) rec.enqueue(e.obj.metadata.namespace);
  });

  async function reconcile(ns: string): Promise<void> {
    const nsObj = namespaces.get(undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    try {
      if (!serviceAccounts.get(ns, 'default')) {
        await ctx.client.create(serviceAccountsR, ns, { metadata: { name: 'default' } }, { fieldManager: 'service-account-controller' });
      }
      const cm = configMaps.get(ns, ROOT_CA_CONFIGMAP);
      const want = { metadata: { name: ROOT_CA_CONFIGMAP, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': caCert } };
      if (!cm) await ctx.client.create(configMapsR, ns, want, { fieldManager: 'root-ca-cert-publisher' });
      else if (cm.data?.['ca.crt'] !== caCert) await ctx.client.update(configMapsR, ns, { ...cm, data: { ...cm.data, 'ca.crt': caCert } }, { fieldManager: 'root-ca-cert-publisher' });
    } catch (err) {
      // A terminating namespace refuses new content (Forbidden): nothing to do there.
      if (isAlreadyExists(err) || isConflict(err) || isNotFound(err) || (err as any)?.reason === 'Forbidden') return;
      throw err;
    }
  }
}
