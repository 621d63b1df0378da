// Deployments and ReplicaSets (printDeployment, printReplicaSet in kube-apiserver 1.33).

import type { TablePrinter } from './columns.ts';
import { ageColumn, ageOf, col, containerCells, nameColumn, nameOf } from './columns.ts';
import { formatLabelSelector, selectorString } from './selector.ts';

const containersColumn = col('Containers', 'Container names in the pod template.', { wide: true });
const imagesColumn = col('Images', 'Container images in the pod template.', { wide: true });
const selectorColumn = col('Selector', 'Label selector for the pods it manages.', { wide: true });

// spec.replicas is defaulted to 1 on write; the fallback covers objects read before defaulting.
const desired = (obj: any): number => obj.spec?.replicas ?? 1;

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Ready', 'Ready pods out of desired pods.'),
    col('Up-to-date', 'Pods running the current template.'),
    col('Available', 'Pods available to serve.'),
    ageColumn,
    containersColumn, imagesColumn, selectorColumn,
  ],
  cells(d, now) {
    const st = d.status ?? {};
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    // Unlike the ReplicaSet column, this one shows an empty selector as '' and a bad one as <invalid>.
    const selector = selectorString(d.spec?.selector) ?? '<invalid>';
    return [
      nameOf(d), `${st.readyReplicas ?? 0}/${desired(d)}`, st.updatedReplicas ?? 0, st.availableReplicas ?? 0, ageOf(d, now),
      names, images, selector,
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameColumn,
    col('Desired', 'Desired number of pods.', { type: 'integer' }),
    col('Current', 'Pods created.', { type: 'integer' }),
    col('Ready', 'Pods ready.', { type: 'integer' }),
    ageColumn,
    containersColumn, imagesColumn, selectorColumn,
  ],
  cells(rs, now) {
    const st = rs.status ?? {};
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(rs), desired(rs), st.replicas ?? 0, st.readyReplicas ?? 0, ageOf(rs, now),
      names, images, formatLabelSelector(rs.spec?.selector),
    ];
  },
};
