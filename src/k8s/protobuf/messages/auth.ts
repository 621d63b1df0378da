// k8s.io/api authentication/v1 TokenRequest (`kubectl create token`) and authorization/v1
// SelfSubjectAccessReview (`kubectl auth can-i`).

export const authMessages: Record<string, Record<number, string>> = {
  TokenRequest: { 1: 'metadata:ObjectMeta', 2: 'spec:TokenRequestSpec', 3: 'status:TokenRequestStatus' },
  TokenRequestSpec: {
    1: 'audiences[]', 4: 'expirationSeconds?:int64', 3: 'boundObjectRef?:BoundObjectReference',
  },
  // The proto field is named uID; the JSON name is uid.
  BoundObjectReference: { 1: 'kind', 2: 'apiVersion', 3: 'name', 4: 'uid' },
  TokenRequestStatus: { 1: 'token', 2: 'expirationTimestamp:Time' },

  SelfSubjectAccessReview: {
    1: 'metadata:ObjectMeta', 2: 'spec:SelfSubjectAccessReviewSpec', 3: 'status:SubjectAccessReviewStatus',
  },
  SelfSubjectAccessReviewSpec: {
    1: 'resourceAttributes?:ResourceAttributes', 2: 'nonResourceAttributes?:NonResourceAttributes',
  },
  ResourceAttributes: {
    1: 'namespace', 2: 'verb', 3: 'group', 4: 'version', 5: 'resource', 6: 'subresource', 7: 'name',
    8: 'fieldSelector?:FieldSelectorAttributes', 9: 'labelSelector?:LabelSelectorAttributes',
  },
  FieldSelectorAttributes: { 1: 'rawSelector', 2: 'requirements[]:FieldSelectorRequirement' },
  LabelSelectorAttributes: { 1: 'rawSelector', 2: 'requirements[]:LabelSelectorRequirement' },
  NonResourceAttributes: { 1: 'path', 2: 'verb' },
  SubjectAccessReviewStatus: { 1: 'allowed:bool', 4: 'denied:bool', 2: 'reason', 3: 'evaluationError' },
};
