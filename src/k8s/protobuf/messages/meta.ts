// k8s.io/apimachinery meta/v1: ObjectMeta and the selector and condition types shared by
// every group. Time, IntOrString, Quantity and FieldsV1 are decoded by hand (decode.ts).

export const metaMessages: Record<string, Record<number, string>> = {
  ObjectMeta: {
    1: 'name', 2: 'generateName', 3: 'namespace', 4: 'selfLink', 5: 'uid', 6: 'resourceVersion',
    7: 'generation:int64', 8: 'creationTimestamp:Time', 9: 'deletionTimestamp?:Time',
    10: 'deletionGracePeriodSeconds?:int64', 11: 'labels{}', 12: 'annotations{}',
    13: 'ownerReferences[]:OwnerReference', 14: 'finalizers[]', 17: 'managedFields[]:ManagedFieldsEntry',
  },
  OwnerReference: {
    5: 'apiVersion', 1: 'kind', 3: 'name', 4: 'uid', 6: 'controller?:bool', 7: 'blockOwnerDeletion?:bool',
  },
  ManagedFieldsEntry: {
    1: 'manager', 2: 'operation', 3: 'apiVersion', 4: 'time?:Time', 6: 'fieldsType',
    7: 'fieldsV1?:FieldsV1', 8: 'subresource',
  },
  LabelSelector: { 1: 'matchLabels{}', 2: 'matchExpressions[]:LabelSelectorRequirement' },
  LabelSelectorRequirement: { 1: 'key', 2: 'operator', 3: 'values[]' },
  FieldSelectorRequirement: { 1: 'key', 2: 'operator', 3: 'values[]' },
  Condition: {
    1: 'type', 2: 'status', 3: 'observedGeneration:int64', 4: 'lastTransitionTime:Time', 5: 'reason', 6: 'message',
  },
};
