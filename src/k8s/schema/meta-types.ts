// meta.k8s.io/v1 types shared by every kind: object and list metadata, owner references,
// managed fields, label selectors, conditions, and the Status/DeleteOptions bodies.

import type { TypeDef } from './dsl.ts';
import { f, t } from './dsl.ts';

export const metaTypes: TypeDef[] = [
  t('meta.v1.ObjectMeta', 'Metadata every persisted object carries.', {
    name: f('string', 'Name, unique within the namespace; cannot be changed after creation.'),
    generateName: f('string', 'Prefix the server completes with a random suffix when name is empty.'),
    namespace: f('string', 'Namespace the object lives in; empty for cluster-scoped objects.'),
    selfLink: f('string', 'Deprecated and never set by the server.'),
    uid: f('string', 'Unique identifier the server assigns at creation.'),
    resourceVersion: f('string', 'Opaque version of the object, used for optimistic concurrency and watches.'),
    generation: f('int64', 'Sequence number of changes to the desired state, set by the server.'),
    creationTimestamp: f('date-time', 'When the object was created, set by the server.'),
    deletionTimestamp: f('date-time', 'When graceful deletion was requested, set by the server.'),
    deletionGracePeriodSeconds: f('int64', 'Seconds allowed for graceful termination before the object is removed.'),
    labels: f('{}string', 'Key/value pairs used to select and group objects.'),
    annotations: f('{}string', 'Key/value pairs for tools and humans; not used for selection.'),
    ownerReferences: f('[]meta.v1.OwnerReference', 'Objects this one depends on; garbage collected when all owners are gone.', {
      list: 'map', keys: ['uid'], patch: 'merge', mergeKey: 'uid',
    }),
    finalizers: f('[]string', 'Conditions that must be cleared before the object is deleted.', { list: 'set', patch: 'merge' }),
    managedFields: f('[]meta.v1.ManagedFieldsEntry', 'Which field manager owns which fields (server-side apply).', { list: 'atomic' }),
  }),
  t('meta.v1.OwnerReference', 'Points at an object that owns this one.', {
    apiVersion: f('string', 'API version of the owner.', { req: true }),
    kind: f('string', 'Kind of the owner.', { req: true }),
    name: f('string', 'Name of the owner.', { req: true }),
    uid: f('string', 'UID of the owner.', { req: true }),
    controller: f('boolean', 'True when the owner is the managing controller.'),
    blockOwnerDeletion: f('boolean', 'Foreground deletion of the owner waits for this object.'),
  }, { atomic: true }),
  t('meta.v1.ManagedFieldsEntry', 'The fields one manager set through one operation.', {
    manager: f('string', 'Name of the field manager.'),
    operation: f('string', 'Apply or Update.'),
    apiVersion: f('string', 'Version the field set is expressed in.'),
    time: f('date-time', 'When the entry last changed.'),
    fieldsType: f('string', 'Format of the field set; always FieldsV1.'),
    fieldsV1: f('free', 'The set of fields, in the FieldsV1 trie format.'),
    subresource: f('string', 'Subresource the operation went through, if any.'),
  }),
  t('meta.v1.ListMeta', 'Metadata of a list response.', {
    selfLink: f('string', 'Deprecated and never set by the server.'),
    resourceVersion: f('string', 'Version of the collection the list was read at; start a watch from it.'),
    continue: f('string', 'Token for the next page when the list was limited.'),
    remainingItemCount: f('int64', 'Estimate of the items after this page.'),
  }),
  t('meta.v1.LabelSelector', 'Selects objects by labels; all terms are ANDed. Empty selects everything.', {
    matchLabels: f('{}string', 'Labels that must have exactly these values.'),
    matchExpressions: f('[]meta.v1.LabelSelectorRequirement', 'Set-based requirements.', { list: 'atomic' }),
  }, { atomic: true }),
  t('meta.v1.LabelSelectorRequirement', 'One set-based label requirement.', {
    key: f('string', 'Label key the requirement applies to.', { req: true }),
    operator: f('string', 'In, NotIn, Exists or DoesNotExist.', { req: true }),
    values: f('[]string', 'Values for In and NotIn; empty for Exists and DoesNotExist.', { list: 'atomic' }),
  }),
  t('meta.v1.Condition', 'One aspect of the current state of an object.', {
    type: f('string', 'Condition type in CamelCase.', { req: true }),
    status: f('string', 'True, False or Unknown.', { req: true }),
    observedGeneration: f('int64', 'metadata.generation the condition was computed from.'),
    lastTransitionTime: f('date-time', 'When status last changed.', { req: true }),
    reason: f('string', 'Machine-readable CamelCase reason for the last transition.', { req: true }),
    message: f('string', 'Human-readable details.', { req: true }),
  }),
  t('meta.v1.Status', 'Result of an operation that does not return an object, or an error.', {
    apiVersion: f('string', 'Versioned schema of this representation of the object (group/version).'),
    kind: f('string', 'Always Status.'),
    metadata: f('meta.v1.ListMeta', 'List metadata.'),
    status: f('string', 'Success or Failure.'),
    message: f('string', 'Human-readable description of the result.'),
    reason: f('string', 'Machine-readable reason (NotFound, AlreadyExists, Invalid...).'),
    details: f('free', 'Extra data about the reason: name, kind, causes.'),
    code: f('int32', 'HTTP status code.'),
  }),
  t('meta.v1.DeleteOptions', 'Options of a delete request.', {
    apiVersion: f('string', 'Versioned schema of this representation of the object (group/version).'),
    kind: f('string', 'Always DeleteOptions.'),
    gracePeriodSeconds: f('int64', 'Seconds before the object is deleted; 0 deletes at once.'),
    preconditions: f('free', 'uid and resourceVersion that must match for the delete to happen.'),
    orphanDependents: f('boolean', 'Deprecated: use propagationPolicy.'),
    propagationPolicy: f('string', 'Orphan, Background or Foreground garbage collection of dependents.'),
    dryRun: f('[]string', 'All: validate without persisting.', { list: 'atomic' }),
    ignoreStoreReadErrorWithClusterBreakingPotential: f('boolean', 'Delete even when the stored object cannot be read.'),
  }),
];
