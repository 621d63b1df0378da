// Resources whose tables hold one or two plain cells besides Name and Age: Namespaces,
// ConfigMaps, Secrets, ServiceAccounts and Leases (kube-apiserver 1.33 printers).

import type { TablePrinter } from './columns.ts';
import { ageColumn, ageOf, col, nameColumn, nameOf } from './columns.ts';

const size = (m: unknown): number => (m && typeof m === 'object' ? Object.keys(m).length : 0);

export const namespacePrinter: TablePrinter = {
  columns: [nameColumn, col('Status', 'Namespace phase (Active or Terminating).'), ageColumn],
  cells(ns, now) {
    return [nameOf(ns), ns.status?.phase ?? '', ageOf(ns, now)];
  },
};

// Count columns are declared as strings upstream but carry integers; kubectl prints either.
export const configMapPrinter: TablePrinter = {
  columns: [nameColumn, col('Data', 'Number of keys, text and binary.'), ageColumn],
  cells(cm, now) {
    return [nameOf(cm), size(cm.data) + size(cm.binaryData), ageOf(cm, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [nameColumn, col('Type', 'Secret type.'), col('Data', 'Number of keys.'), ageColumn],
  cells(secret, now) {
    return [nameOf(secret), secret.type ?? '', size(secret.data), ageOf(secret, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn, col('Secrets', 'Number of secrets listed on the account.'), ageColumn],
  cells(sa, now) {
    return [nameOf(sa), (sa.secrets ?? []).length, ageOf(sa, now)];
  },
};

export const leasePrinter: TablePrinter = {
  columns: [nameColumn, col('Holder', 'Identity currently holding the lease.'), ageColumn],
  cells(lease, now) {
    return [nameOf(lease), lease.spec?.holderIdentity ?? '', ageOf(lease, now)];
  },
};
