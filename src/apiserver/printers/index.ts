// Server-side printing: the Table objects `kubectl get` renders, with the columns and cell
// formats kube-apiserver 1.33 prints for each resource knet serves. Pure functions of the
// objects and the current time.

export type { ColumnDefinition, TablePrinter } from './columns.ts';
export type { BuildTableOptions, IncludeObject } from './table.ts';
export { printerFor, printedKeys } from './registry.ts';
export { humanDuration } from './duration.ts';
export { buildTable } from './table.ts';
export { formatLabelSelector, formatLabels, selectorString } from './selector.ts';
