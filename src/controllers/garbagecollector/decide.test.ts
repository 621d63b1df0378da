import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockingDependents, decideDependent, ownerState } from './decide.ts';
import type { OwnerState } from './decide.ts';

const ref = (uid: string, extra: object = {}) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, ...extra });
const dep = (refs: object[], meta: object = {}) => ({ metadata: { name: 'p', uid: 'd', ownerReferences: refs, ...meta } });
const states = (o: Record<string, OwnerState>) => new Map(Object.entries(o));

describe('garbage collector decisions', () => {
  it('classifies owners by existence, uid and foreground deletion', () => {
    assert.equal(ownerState(undefined, ref('a')), 'dangling');
    assert.equal(ownerState({ metadata: { uid: 'other' } }, ref('a')), 'dangling', 'a re-created owner with a new uid is not the owner');
    assert.equal(ownerState({ metadata: { uid: 'a' } }, ref('a')), 'solid');
    assert.equal(ownerState({ metadata: { uid: 'a', deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] } }, ref('a')), 'waiting');
    assert.equal(ownerState({ metadata: { uid: 'a', deletionTimestamp: 'x', finalizers: ['orphan'] } }, ref('a')), 'solid');
  });

  it('deletes a dependent whose owners are all gone, in the background', () => {
    assert.deepEqual(decideDependent(dep([ref('a')]), states({ a: 'dangling' }), false), { action: 'delete', propagationPolicy: 'Background', unblockUids: [] });
  });

  it('keeps a dependent with a solid owner and drops its dangling references', () => {
    assert.deepEqual(decideDependent(dep([ref('a'), ref('b')]), states({ a: 'solid', b: 'dangling' }), false), { action: 'remove-refs', uids: ['b'] });
    assert.deepEqual(decideDependent(dep([ref('a')]), states({ a: 'solid' }), false), { action: 'keep' });
  });

  it('deletes in the foreground when a waiting owner blocks on a dependent that has dependents', () => {
    const d = decideDependent(dep([ref('a', { blockOwnerDeletion: true })]), states({ a: 'waiting' }), true);
    assert.deepEqual(d, { action: 'delete', propagationPolicy: 'Foreground', unblockUids: ['a'] });
    const leaf = decideDependent(dep([ref('a', { blockOwnerDeletion: true })]), states({ a: 'waiting' }), false);
    assert.deepEqual(leaf, { action: 'delete', propagationPolicy: 'Background', unblockUids: [] });
  });

  it('honours the dependent\'s own orphan finalizer and leaves unknown owners alone', () => {
    assert.equal((decideDependent(dep([ref('a')], { finalizers: ['orphan'] }), states({ a: 'dangling' }), true) as any).propagationPolicy, 'Orphan');
    assert.deepEqual(decideDependent(dep([ref('a')]), states({ a: 'unknown' }), false), { action: 'keep' });
    assert.deepEqual(decideDependent(dep([ref('a')], { deletionTimestamp: 'x' }), states({ a: 'dangling' }), false), { action: 'keep' });
  });

  it('counts only blockOwnerDeletion dependents as blocking', () => {
    const deps = [dep([ref('a', { blockOwnerDeletion: true })]), dep([ref('a')]), dep([ref('b', { blockOwnerDeletion: true })])];
    assert.equal(blockingDependents('a', deps).length, 1);
  });
});
