// The nftables layer: the model compilers produce, the renderers that turn it into `nft -f`
// scripts (a full atomic replace or an incremental diff), and the applier that loads it into
// a node's network namespace.

export type { BaseChainSpec, Chain, ElementChanges, Family, Hook, NftMap, NftSet, Rule, Table } from './model.ts';
export { renderRemove, renderTable } from './render.ts';
export type { UpdatePlan } from './update.ts';
export { planUpdate, renderUpdate } from './update.ts';
export type { ApplyResult, NftApplierOptions } from './applier.ts';
export { NftApplier, listTable, nftErrors, runNft } from './applier.ts';
export { NftSession } from './session.ts';
export type { Drift } from './verify.ts';
export { diffListing } from './verify.ts';
export { COMMENT_MAX_BYTES, ELEMENTS_PER_STATEMENT, quoteComment } from './syntax.ts';
