// The meta.k8s.io/v1 Table kubectl asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
// Each row carries the object per `includeObject`: kubectl reads the namespace for `-A`, labels
// for `--show-labels` / `-L` from row.object.metadata, and needs the whole object for `--sort-by`.

import { printerFor } from './registry.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface BuildTableOptions {
  now: number;
  includeObject?: IncludeObject;
  /** ListMeta of the list (resourceVersion, continue, remainingItemCount), or of the single object. */
  listMeta?: object;
  /** Watch events after the first carry rows only. */
  omitHeaders?: boolean;
}

function rowObject(obj: any, include: IncludeObject): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj?.metadata ?? {} };
}

function tableMeta(listMeta: any): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (!listMeta) return meta;
  if (listMeta.resourceVersion !== undefined) meta.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) meta.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined && listMeta.remainingItemCount !== null) {
    meta.remainingItemCount = listMeta.remainingItemCount;
  }
  return meta;
}

/** A full Table for `objs` of the resource `key` (a resourceKey such as 'deployments.apps'). */
export function buildTable(key: string, objs: any[], opts: BuildTableOptions): object {
  const printer = printerFor(key);
  const include = opts.includeObject ?? 'Metadata';
  const rows = objs.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.cells(obj, opts.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    const object = rowObject(obj, include);
    if (object) row.object = object;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: tableMeta(opts.listMeta),
    columnDefinitions: opts.omitHeaders ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
